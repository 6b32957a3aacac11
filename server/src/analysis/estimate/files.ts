// The files a scratch runtime gets copied in (Go's scratch.ts, toMultiStage.ts and
// rules) and their measured sizes: the estimate's data, which the fixes and rules read. A leaf, so
// that the rules, which the estimate reaches through the language registry, need not import the estimate.
export const CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';
export const ZONEINFO = '/usr/share/zoneinfo';

/**
 * Bytes of those files, measured in a Debian bookworm root filesystem on 2026-11-22
 * (ca-certificates 20250419~deb12u2, tzdata 2026b-0+deb12u1; `du -sb`), see test/e2e/README.md.
 */
export const CA_BUNDLE_BYTES = 222_073;
export const ZONEINFO_BYTES = 1_495_314;

/** Bytes of files the fixes copy, by path. */
export const FILE_SIZES: Readonly<Record<string, number>> = {
  [CA_BUNDLE]: CA_BUNDLE_BYTES,
  [ZONEINFO]: ZONEINFO_BYTES,
  // golang:1.19's (Debian bookworm) files, measured with wc -c on 2026-12-01 (839 and 434 bytes), with
  // the nonroot line a scratch runtime adds (59 and 17 bytes).
  '/etc/passwd': 898,
  '/etc/group': 451,
};

/**
 * The same files where a trixie (Debian 13) build stage has them, measured with `du -sb` in the
 * golang:1.24 stand-in on 2026-12-01: trixie moved the old zone names to tzdata-legacy (tzdata
 * 2026f-0+deb13u1: 624,594 bytes); its ca-certificates 20250419+deb13u1 bundle is bookworm's
 * 222,073 bytes. (The sid-based golang:1.27 stand-in has a 180,744-byte bundle; the real
 * golang:1.27 is trixie.)
 */
export const FILE_SIZES_BY_RELEASE: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  '13': { ...FILE_SIZES, [ZONEINFO]: 624_594 },
};
