import { runForOutput } from './run-ffmpeg.js';

/** What the pipeline needs to know about a media file before or after encoding it. */
export interface MediaProbe {
  readonly durationSeconds: number | undefined;
  readonly hasAudio: boolean;
  readonly video: { readonly width: number; readonly height: number } | undefined;
}

interface FfprobeOutput {
  format?: { duration?: string };
  streams?: Array<{ codec_type?: string; width?: number; height?: number; duration?: string }>;
}

/** Reads duration, audio presence and picture size with ffprobe's JSON output. */
export async function probeMedia(ffprobe: string, file: string): Promise<MediaProbe> {
  const output = await runForOutput(ffprobe, ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', '-i', file]);
  const parsed = JSON.parse(output) as FfprobeOutput;
  const streams = parsed.streams ?? [];
  const video = streams.find((stream) => stream.codec_type === 'video');
  const duration = Number(parsed.format?.duration ?? video?.duration);
  return {
    durationSeconds: Number.isFinite(duration) && duration > 0 ? duration : undefined,
    hasAudio: streams.some((stream) => stream.codec_type === 'audio'),
    video: video?.width && video.height ? { width: video.width, height: video.height } : undefined,
  };
}
