//! The claim's conversation, oldest first, and a reply box: files are uploaded first (each its own
//! attachment), then the message names them.
import { useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { formatDateTime } from "../../money";
import { api, attachmentUrl } from "../api";
import { errorText } from "../errorText";
import { useLang } from "../i18n";
import { Load } from "../Status";
import { useLoad } from "../useLoad";

/** pvz-protocol's MAX_MESSAGE_CHARS, MAX_ATTACHMENT_BYTES, MAX_MESSAGE_ATTACHMENT_BYTES. */
const MAX_MESSAGE_CHARS = 1000;
const MAX_FILE_BYTES = 5 * 1024 * 1024;
const MAX_FILES_BYTES = 30 * 1024 * 1024;
const FILE_TYPES = ["image/jpeg", "image/png", "application/pdf"];

export function Conversation({ claimId }: { claimId: string }) {
  const { t } = useTranslation();
  const lang = useLang();
  const { loaded, reload, retry } = useLoad(api.messages, claimId);
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const files = useRef<HTMLInputElement>(null);

  async function send(event: FormEvent) {
    event.preventDefault();
    const chosen = [...(files.current?.files ?? [])];
    const bad = chosen.find(
      (file) => !FILE_TYPES.includes(file.type) || file.size > MAX_FILE_BYTES,
    );
    if ([...text.trim()].length > MAX_MESSAGE_CHARS) {
      setError(t("chat.tooLong", { max: MAX_MESSAGE_CHARS }));
      return;
    }
    if (text.trim() === "" && chosen.length === 0) {
      setError(t("chat.emptyMessage"));
      return;
    }
    if (bad) {
      setError(t("chat.badFile", { name: bad.name }));
      return;
    }
    if (chosen.reduce((sum, file) => sum + file.size, 0) > MAX_FILES_BYTES) {
      setError(t("chat.tooMuch"));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const ids: string[] = [];
      for (const file of chosen) ids.push((await api.uploadAttachment(file)).id);
      await api.postMessage(claimId, text.trim(), ids);
      setText("");
      if (files.current) files.current.value = "";
      await reload();
    } catch (failure) {
      setError(errorText(t, failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card conversation">
      <h2>{t("chat.heading")}</h2>
      <Load
        loaded={loaded}
        retry={retry}
        ready={(messages) =>
          messages.length === 0 ? (
            <p className="muted">{t("chat.empty")}</p>
          ) : (
            <ol className="messages">
              {messages.map((message) => (
                <li
                  key={String(message.seq)}
                  data-testid="message"
                  className={`message from-${message.author}`}
                >
                  <p className="meta">
                    <b>{t(`chat.author.${message.author}`)}</b>{" "}
                    <time dateTime={message.sent_at}>{formatDateTime(message.sent_at, lang)}</time>
                  </p>
                  {message.text && <p className="text">{message.text}</p>}
                  {message.attachments.length > 0 && (
                    <ul className="photos">
                      {message.attachments.map((attachment, index) => (
                        <li key={attachment.id}>
                          <a href={attachmentUrl(attachment.id)} target="_blank" rel="noreferrer">
                            {attachment.content_type.startsWith("image/") ? (
                              <img
                                src={attachmentUrl(attachment.id)}
                                alt={t("chat.attachment", { n: index + 1 })}
                              />
                            ) : (
                              t("chat.attachment", { n: index + 1 })
                            )}
                          </a>
                        </li>
                      ))}
                    </ul>
                  )}
                </li>
              ))}
            </ol>
          )
        }
      />
      <form className="reply" onSubmit={(event) => void send(event)} noValidate>
        <label htmlFor="reply-text">{t("chat.reply")}</label>
        <textarea
          id="reply-text"
          data-testid="reply-text"
          rows={3}
          value={text}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === "Enter" && !event.shiftKey) {
              event.preventDefault();
              event.currentTarget.form?.requestSubmit();
            }
          }}
        />
        <label htmlFor="reply-attach">{t("chat.attach")}</label>
        <input
          id="reply-attach"
          data-testid="reply-attach"
          ref={files}
          type="file"
          multiple
          accept={FILE_TYPES.join(",")}
        />
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" data-testid="reply-send" disabled={busy}>
          {busy ? t("chat.sending") : t("chat.send")}
        </button>
      </form>
    </section>
  );
}
