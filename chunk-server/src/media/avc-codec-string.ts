/**
 * The RFC 6381 codec string (`avc1.PPCCLL`) of the H.264 track in an fMP4 init segment, read from its `avcC` box.
 *
 * Players use CODECS in the master playlist to skip renditions they cannot decode, so it must describe what the
 * encoder actually produced (profile, constraint flags, level), not what we asked for.
 */
export function readAvcCodecString(initSegment: Buffer): string | undefined {
  const box = initSegment.indexOf('avcC', 0, 'latin1');
  // avcC payload: configurationVersion, AVCProfileIndication, profile_compatibility, AVCLevelIndication.
  if (box < 0 || box + 8 > initSegment.length || initSegment[box + 4] !== 1) return undefined;
  const hex = (offset: number) => (initSegment[box + offset] as number).toString(16).padStart(2, '0');
  return `avc1.${hex(5)}${hex(6)}${hex(7)}`;
}

/** AAC-LC, the only audio profile the ladder encodes. */
export const AAC_LC_CODEC_STRING = 'mp4a.40.2';
