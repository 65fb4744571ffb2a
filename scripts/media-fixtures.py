#!/usr/bin/env python3
"""Write the WAV files of fixtures/rules/media-autoplay/rendered/ (media-autoplay rendered).

Mono, 8-bit PCM at 4 kHz (Chromium decodes WAV in <audio> and <video>, and in
decodeAudioData): a 440 Hz tone of 6 s and of 1 s, and 6 s of silence (a track that is there
but makes no sound, as ACT 80f0bf's silent videos). Run from the repository root.

`video-seule.webm` (4.5 s of video, no audio track at all) is not written here: it was recorded
once in Chromium, a 64 x 48 canvas alternating two colours every 100 ms, through
`new MediaRecorder(canvas.captureStream(10), {mimeType: 'video/webm;codecs=vp8'})`.
"""
import math
import wave

DIR = "fixtures/rules/media-autoplay/rendered"


def write(name, seconds, amplitude, rate=4000):
    with wave.open(f"{DIR}/{name}", "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(1)
        w.setframerate(rate)
        w.writeframes(bytes(int(128 + amplitude * math.sin(2 * math.pi * 440 * i / rate))
                            for i in range(int(seconds * rate))))


write("son-6s.wav", 6, 50)
write("son-1s.wav", 1, 50)
write("silence-6s.wav", 6, 0)
