import { describe, expect, it } from "vitest";
import { WedgeDetector, type KeyTarget, type WedgeVerdict } from "./wedge";

/** Feeds `text` one key every `gapMs` from `start`, then `terminator` after the same gap. */
type Typing = { start?: number; gapMs?: number; target?: KeyTarget; terminator?: string | null };

function type(
  detector: WedgeDetector,
  text: string,
  { start = 1000, gapMs = 10, target = "other", terminator = "Enter" }: Typing = {},
): { verdicts: WedgeVerdict[]; end: WedgeVerdict | null; endTime: number } {
  let time = start;
  const verdicts = [...text].map((key, i) => {
    time = start + i * gapMs;
    return detector.key({ key, time, target });
  });
  if (terminator === null) return { verdicts, end: null, endTime: time };
  time += gapMs;
  return { verdicts, end: detector.key({ key: terminator, time, target }), endTime: time };
}

describe("WedgeDetector", () => {
  it("takes a fast burst ended by Enter as a scan", () => {
    const detector = new WedgeDetector();
    const { verdicts, end } = type(detector, "PVZ-4F7K29", { gapMs: 8 });

    expect(end, "a 10-char burst at 8 ms per key ended by Enter should be a scan").toEqual({
      kind: "scan",
      code: "PVZ-4F7K29",
      strip: 0,
    });
    expect(
      verdicts.every((v) => v.kind === "hold"),
      "outside a text field every character of the burst should be held back",
    ).toBe(true);
    expect(
      verdicts.slice(1).every((v) => v.kind === "hold" && v.continuesBurst),
      "every character after the first should be marked as continuing the burst",
    ).toBe(true);
  });

  it("accepts a burst ended by Tab", () => {
    const detector = new WedgeDetector();
    const { end } = type(detector, "123456", { terminator: "Tab" });
    expect(end, "a 6-char fast burst ended by Tab should be a scan").toMatchObject({
      kind: "scan",
      code: "123456",
    });
  });

  it("keeps Shift between capitals inside the burst", () => {
    const detector = new WedgeDetector();
    let time = 0;
    for (const key of "AB12CD") {
      detector.key({ key: "Shift", time, target: "other" });
      detector.key({ key, time: (time += 5), target: "other" });
    }
    const end = detector.key({ key: "Enter", time: time + 5, target: "other" });
    expect(end, "Shift presses sent by the scanner should not break the burst").toMatchObject({
      kind: "scan",
      code: "AB12CD",
    });
  });

  it("does not take human typing for a scan", () => {
    const detector = new WedgeDetector();
    const { verdicts, end } = type(detector, "4F7K29AB", { gapMs: 120 });

    expect(end, "8 keys typed 120 ms apart then Enter should pass Enter through, not scan").toEqual(
      {
        kind: "pass",
      },
    );
    expect(
      verdicts.every((v) => v.kind === "hold" && !v.continuesBurst),
      "slow keys should never be marked as continuing a burst",
    ).toBe(true);
  });

  it("does not take a burst shorter than 6 characters for a scan", () => {
    const detector = new WedgeDetector();
    const { end } = type(detector, "12345", { gapMs: 5 });
    expect(end, "a 5-char burst is below the minimum length and should not be a scan").toEqual({
      kind: "pass",
    });
  });

  it("does not take a fast burst with a slow terminator for a scan", () => {
    const detector = new WedgeDetector();
    type(detector, "1234567", { gapMs: 5, terminator: null });
    const end = detector.key({ key: "Enter", time: 1000 + 6 * 5 + 200, target: "other" });
    expect(end, "Enter 200 ms after the last character should pass through").toEqual({
      kind: "pass",
    });
  });

  it("finds a burst typed into a text field and says how many characters to strip", () => {
    const detector = new WedgeDetector();
    // A person types a word, pauses, then the scanner fires into the same field.
    type(detector, "пятно", { gapMs: 150, target: "editable", terminator: null });
    const { verdicts, end } = type(detector, "2000123456789", {
      start: 5000,
      gapMs: 6,
      target: "editable",
    });

    expect(
      verdicts.every((v) => v.kind === "pass"),
      "characters going into a text field should flow through untouched",
    ).toBe(true);
    expect(
      end,
      "Enter ending the burst should become a scan that strips the 13 burst chars",
    ).toEqual({
      kind: "scan",
      code: "2000123456789",
      strip: 13,
    });
  });

  it("lets Enter through in a text field after human typing", () => {
    const detector = new WedgeDetector();
    const { end } = type(detector, "7K4Q2M9", { gapMs: 90, target: "editable" });
    expect(end, "Enter after slow typing in a field should pass, so the form submits").toEqual({
      kind: "pass",
    });
  });

  it("drops the same code within 1500 ms and accepts it after", () => {
    const detector = new WedgeDetector();
    const first = type(detector, "PVZ-4F7K29", { start: 0 });
    expect(first.end, "the first read should be a scan").toMatchObject({ kind: "scan" });

    const again = type(detector, "PVZ-4F7K29", { start: first.endTime + 900 });
    expect(again.end, "the same code 900 ms later should be dropped as a double read").toEqual({
      kind: "drop",
      code: "PVZ-4F7K29",
      strip: 0,
    });

    const other = type(detector, "2000123456789", { start: again.endTime + 50 });
    expect(other.end, "a different code right after should still be a scan").toMatchObject({
      kind: "scan",
      code: "2000123456789",
    });

    const later = type(detector, "PVZ-4F7K29", { start: first.endTime + 1600 });
    expect(
      later.end,
      "the same code more than 1500 ms after it was delivered should be a scan again",
    ).toMatchObject({ kind: "scan", code: "PVZ-4F7K29" });
  });

  it("takes the same code again at once when another code was read in between", () => {
    const detector = new WedgeDetector();
    const cell = type(detector, "PVZL1:A-01", { start: 0 });
    const item = type(detector, "4607000000212", { start: cell.endTime + 200 });
    const again = type(detector, "PVZL1:A-01", { start: item.endTime + 200 });
    expect(
      again.end,
      "the same cell label for the next item, 600 ms later, is a scan, not a double read",
    ).toMatchObject({ kind: "scan", code: "PVZL1:A-01" });
  });

  it("still strips a dropped double read from a text field", () => {
    const detector = new WedgeDetector();
    type(detector, "PVZ-4F7K29", { start: 0, target: "editable" });
    const again = type(detector, "PVZ-4F7K29", { start: 500, target: "editable" });
    expect(again.end, "a double read into a field should be dropped but still stripped").toEqual({
      kind: "drop",
      code: "PVZ-4F7K29",
      strip: 10,
    });
  });

  it("ends a long fast burst with no terminator after 150 ms of silence", () => {
    const detector = new WedgeDetector();
    const { endTime } = type(detector, "2000123456789", { gapMs: 7, terminator: null });

    expect(
      detector.idle(endTime + 120),
      "120 ms of silence is too short to end the burst",
    ).toBeNull();
    expect(detector.idle(endTime + 150), "150 ms of silence should end a 13-char burst").toEqual({
      kind: "scan",
      code: "2000123456789",
      strip: 0,
    });
    expect(detector.idle(endTime + 300), "the burst should be delivered only once").toBeNull();
  });

  it("keeps a long scan whole through the uneven gaps of a busy kiosk", () => {
    const detector = new WedgeDetector();
    const code = "PVZ1.eyJvcmRlciI6IjQ4MjEzNyJ9.c2lnbmF0dXJl";
    // Fast at first, then a 60 ms hiccup, and Enter 120 ms after the last character.
    let time = 0;
    for (const [i, key] of [...code].entries()) {
      time += i === 20 ? 60 : 4;
      detector.key({ key, time, target: "other" });
    }
    const end = detector.key({ key: "Enter", time: time + 120, target: "other" });
    expect(end, "a scan that has started fast survives gaps shorter than the silence").toEqual({
      kind: "scan",
      code,
      strip: 0,
    });
  });

  it("does not let a burst that never started fast survive a long gap", () => {
    const detector = new WedgeDetector();
    const { endTime } = type(detector, "12345", { gapMs: 4, terminator: null });
    const { end } = type(detector, "67890", { start: endTime + 60, gapMs: 60 });
    expect(
      end,
      "5 fast keys are not yet a scanner: the 60 ms gaps after them are a person, so Enter passes",
    ).toEqual({ kind: "pass" });
  });

  it("breaks a scan on a gap as long as the silence", () => {
    const detector = new WedgeDetector();
    const burst = type(detector, "ABCDEFGH", { gapMs: 4, target: "editable", terminator: null });
    const { end } = type(detector, "XYZ", {
      start: burst.endTime + 200,
      gapMs: 200,
      target: "editable",
    });
    expect(
      end,
      "typing 200 ms after a burst in a field is a person: Enter submits the form",
    ).toEqual({
      kind: "pass",
    });
  });

  it("keeps GS1 group separators inside a burst", () => {
    const detector = new WedgeDetector();
    const code = "0104601234567893215Abc123XYZ01\u001d91EE06\u001d92abcd";
    const { end } = type(detector, code, { gapMs: 6 });
    expect(end, "a Честный ЗНАК code keeps its GS separators").toEqual({
      kind: "scan",
      code,
      strip: 0,
    });
  });

  it("leaves fast typing in a text field alone when it just stops", () => {
    const detector = new WedgeDetector();
    const { verdicts, endTime } = type(detector, "Разошёлся шов на рукаве", {
      gapMs: 5,
      target: "editable",
      terminator: null,
    });
    expect(
      verdicts.every((v) => v.kind === "pass"),
      "characters typed into a text field should reach it",
    ).toBe(true);
    expect(
      detector.idle(endTime + 500),
      "a defect description typed fast (or auto-typed) must stay in its field, not become a scan",
    ).toBeNull();
  });

  it("does not end a short burst on silence", () => {
    const detector = new WedgeDetector();
    const { endTime } = type(detector, "1234567", { gapMs: 7, terminator: null });
    expect(
      detector.idle(endTime + 500),
      "a 7-char burst without terminator is below the 8-char silence minimum",
    ).toBeNull();
  });

  it("passes a lone Space so a focused button can be pressed", () => {
    const detector = new WedgeDetector();
    expect(
      detector.key({ key: " ", time: 0, target: "other" }),
      "a lone Space should pass",
    ).toEqual({
      kind: "pass",
    });
  });

  it("drops held characters when a person presses a non-character key", () => {
    const detector = new WedgeDetector();
    type(detector, "ABCDEF", { gapMs: 5, terminator: null });
    detector.key({ key: "Backspace", time: 1030, target: "other" });
    expect(detector.pending, "Backspace should clear the burst in progress").toBe("");
  });
});
