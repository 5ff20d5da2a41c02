//! "Add a photo" for an item refused as a defect (фото брака), or of a returned item's condition: a
//! real button (keyboard and touch) that opens the system's file or camera picker; the chosen image
//! goes to the backend.
import { useRef } from "react";
import { useTranslation } from "react-i18next";
import { Icon } from "./Icon";

type Props = {
  itemId: string;
  photos: number;
  /** What the button says before the first photo; "Фото брака" by default. */
  label?: string;
  onPhoto: (file: File) => void;
};

export function PhotoButton({ itemId, photos, label, onPhoto }: Props) {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button
        type="button"
        className="button button--quiet item__photo"
        data-testid={`photo-${itemId}`}
        onClick={() => input.current?.click()}
      >
        <Icon name="camera" />
        {photos > 0 ? t("order.photos", { count: photos }) : (label ?? t("order.addPhoto"))}
      </button>
      <input
        ref={input}
        type="file"
        accept="image/jpeg,image/png,image/webp"
        capture="environment"
        hidden
        data-testid={`photo-input-${itemId}`}
        onChange={(event) => {
          const file = event.currentTarget.files?.[0];
          event.currentTarget.value = "";
          if (file) onPhoto(file);
        }}
      />
    </>
  );
}
