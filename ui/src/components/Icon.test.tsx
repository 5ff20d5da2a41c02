import { render, screen } from "@testing-library/react";
import { readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { ErrorBanner } from "../shell/ErrorBanner";
import { kioskError } from "../test/fixtures";
import { Icon } from "./Icon";
import { RefuseDialog } from "./RefuseDialog";

const SRC = join(import.meta.dirname, "..");

/** Every UI source file that ships (tests excluded: they may quote what must not appear). */
function shippedSources(): string[] {
  return readdirSync(SRC, { recursive: true, encoding: "utf8" })
    .filter((path) => /\.(tsx?|css|html)$/.test(path) && !/\.test\.tsx?$/.test(path))
    .map((path) => join(SRC, path));
}

describe("icons", () => {
  it("are never system emoji: no shipped source draws an Extended_Pictographic character", () => {
    // ⌗ is no emoji, but DejaVu Sans (Debian's default font) has no glyph for it either.
    const emoji = /[\p{Extended_Pictographic}\u2317]/u;
    const found = shippedSources().flatMap((file) =>
      readFileSync(file, "utf8")
        .split("\n")
        .flatMap((line, i) =>
          emoji.test(line) ? [`${relative(SRC, file)}:${i + 1}: ${line}`] : [],
        ),
    );
    expect(found, "icons are inline SVG (components/Icon.tsx), not emoji").toEqual([]);
  });

  it("draw in the text's colour and stay out of the accessibility tree", () => {
    const { container } = render(<Icon name="camera" />);
    const svg = container.querySelector("svg");
    expect(svg, "an icon is an inline SVG").not.toBeNull();
    expect(svg, "it is decoration: the text beside it names it").toHaveAttribute(
      "aria-hidden",
      "true",
    );
    expect(svg, "it takes the text's colour").toHaveAttribute("stroke", "currentColor");
  });
});

describe("error banner layering", () => {
  it("is drawn under the refusal dialog, never over its title", () => {
    const style = document.createElement("style");
    style.textContent = ["../styles/layout.css", "../styles/dialog.css"]
      .map((sheet) => readFileSync(join(import.meta.dirname, sheet), "utf8"))
      .join("\n");
    document.head.appendChild(style);
    onTestFinished(() => style.remove());
    render(
      <>
        <ErrorBanner error={kioskError("unknown_code")} />
        <RefuseDialog
          item={{ name: "Платье", variant: "M" }}
          onConfirm={() => Promise.resolve(true)}
          onCancel={() => undefined}
        />
      </>,
    );
    const layer = (element: Element) => {
      const { position, zIndex } = getComputedStyle(element);
      expect(position, "a layered element is positioned").not.toBe("static");
      return Number(zIndex);
    };
    const banner = layer(screen.getByTestId("error-banner"));
    const backdrop = layer(screen.getByRole("dialog").parentElement as Element);
    expect(banner, "the modal dialog's backdrop is above the scan's error banner").toBeLessThan(
      backdrop,
    );
  });
});
