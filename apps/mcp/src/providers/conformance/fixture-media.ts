/** A 1x1 PNG (one blue-ish pixel), generated for these fixtures. */
export const PNG_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGNQSDgAAAHkAUGcFuGgAAAAAElFTkSuQmCC';

/** A WAV of eight silent 8-bit samples at 8 kHz, generated for these fixtures. */
export const WAV_BASE64 = 'UklGRiwAAABXQVZFZm10IBAAAAABAAEAQB8AAEAfAAABAAgAZGF0YQgAAACAgICAgICAgA==';

export const text = (value: string) => ({ content: [{ type: 'text' as const, text: value }] });
