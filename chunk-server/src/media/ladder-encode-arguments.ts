import path from 'node:path';
import { MEDIA_PLAYLIST, PROGRESSIVE_FILE } from './media-file-names.js';
import { PROGRESSIVE_RENDITION, RENDITION_LADDER, SEGMENT_SECONDS, type RenditionSpec } from './rendition-ladder.js';

export interface LadderEncodeInput {
  readonly source: string;
  /** Folder receiving `<rendition>/index.m3u8`, `<rendition>/seg_<n>.m4s`, init segments and `movie.mp4`. */
  readonly outputDir: string;
  /** Sources without sound get a silent track, so that every rendition has the same CODECS and players never stall. */
  readonly sourceHasAudio: boolean;
  readonly durationSeconds: number | undefined;
  /** Renditions to encode; {@link RENDITION_LADDER} unless a caller (a test wanting tiny media) says otherwise. */
  readonly ladder?: readonly RenditionSpec[];
  /** Encoder speed/size trade-off (x264 preset); `veryfast` by default. */
  readonly preset?: string;
}

/**
 * ffmpeg arguments that encode the whole ladder in one pass over the source: the picture is decoded once and split,
 * each rendition gets its own H.264 + AAC encoder, and two outputs are written: fMP4 HLS for every rendition, and
 * a progressive `movie.mp4` with its index first (faststart) so playback starts before the download ends.
 *
 * Keyframes are forced every {@link SEGMENT_SECONDS} and scene-cut keyframes are off, so every segment starts
 * with a keyframe and lasts the same time in every rendition: players can switch renditions at any boundary.
 */
export function ladderEncodeArguments(input: LadderEncodeInput): string[] {
  const ladder = input.ladder ?? RENDITION_LADDER;
  const args: string[] = ['-i', input.source];
  let audio = '0:a:0';
  if (!input.sourceHasAudio) {
    const length = input.durationSeconds !== undefined ? ['-t', input.durationSeconds.toFixed(3)] : [];
    args.push('-f', 'lavfi', ...length, '-i', 'anullsrc=channel_layout=stereo:sample_rate=48000');
    audio = '1:a:0';
  }
  const padAudio = !input.sourceHasAudio && input.durationSeconds === undefined ? ['-shortest'] : [];

  const outputs = ladder.length + 1;
  const labels = ladder.map((_, index) => `v${index}`);
  const graph = [
    `[0:v:0]split=${outputs}${[...labels, 'vp'].map((label) => `[in_${label}]`).join('')}`,
    ...ladder.map((rung, index) => `[in_v${index}]scale=-2:${rung.height},setsar=1[v${index}]`),
    `[in_vp]scale=-2:${PROGRESSIVE_RENDITION.height},setsar=1[vp]`,
  ].join(';');
  args.push('-filter_complex', graph);

  const video = [
    '-c:v',
    'libx264',
    '-preset',
    input.preset ?? 'veryfast',
    '-profile:v',
    'main',
    '-pix_fmt',
    'yuv420p',
    '-sc_threshold',
    '0',
    '-force_key_frames',
    `expr:gte(t,n_forced*${SEGMENT_SECONDS})`,
  ];
  const audioCodec = ['-c:a', 'aac', '-ac', '2', '-ar', '48000'];

  // Output 1: the HLS ladder, one variant stream (video + audio) per rendition.
  for (const label of labels) args.push('-map', `[${label}]`);
  args.push(...ladder.flatMap(() => ['-map', audio]));
  args.push(...video, ...audioCodec);
  ladder.forEach((rung, index) => {
    args.push(
      `-b:v:${index}`,
      `${rung.videoKbps}k`,
      `-maxrate:v:${index}`,
      `${Math.round(rung.videoKbps * 1.2)}k`,
      `-bufsize:v:${index}`,
      `${rung.videoKbps * 2}k`,
      `-b:a:${index}`,
      `${rung.audioKbps}k`,
    );
  });
  args.push(
    ...padAudio,
    '-f',
    'hls',
    '-hls_time',
    String(SEGMENT_SECONDS),
    '-hls_playlist_type',
    'vod',
    '-hls_segment_type',
    'fmp4',
    '-hls_flags',
    'independent_segments',
    '-hls_fmp4_init_filename',
    'init.mp4',
    '-start_number',
    '0',
    '-hls_segment_filename',
    path.join(input.outputDir, '%v', 'seg_%d.m4s'),
    // `%v` is each variant's index: the `name:` key of var_stream_map needs ffmpeg 4.2+, and the ffmpeg that npm
    // ships (@ffmpeg-installer, 4.1) refuses it. The ingest renames `<index>/` to the rendition's name.
    '-var_stream_map',
    ladder.map((_, index) => `v:${index},a:${index}`).join(' '),
    path.join(input.outputDir, '%v', MEDIA_PLAYLIST),
  );

  // Output 2: progressive MP4 for clients without HLS.
  const rung = input.ladder ? (ladder[Math.min(1, ladder.length - 1)] as RenditionSpec) : PROGRESSIVE_RENDITION;
  args.push(
    '-map',
    '[vp]',
    '-map',
    audio,
    ...video,
    ...audioCodec,
    '-b:v',
    `${rung.videoKbps}k`,
    '-maxrate',
    `${Math.round(rung.videoKbps * 1.2)}k`,
    '-bufsize',
    `${rung.videoKbps * 2}k`,
    '-b:a',
    `${rung.audioKbps}k`,
    ...padAudio,
    '-movflags',
    '+faststart',
    '-f',
    'mp4',
    path.join(input.outputDir, PROGRESSIVE_FILE),
  );
  return args;
}
