/// Recognises what kind of file an attachment really is from its first bytes, whatever its name claims.
///
/// Every byte is untrusted: the checks only ever read inside the prefix they are given, validate box sizes and
/// frame headers before believing them, and fall back to `application/octet-stream` when in doubt. A prefix that
/// is only the start of a signature (a file shorter than its own magic bytes) never gets that signature's type.
public enum MediaType {
  /// How many leading bytes `detect` looks at (give fewer only when the file is shorter).
  public static let sniffByteCount = 512

  /// The IANA media type of a file from its first bytes, never from its name.
  public static func detect(_ prefix: [UInt8]) -> String {
    let sniffer = Sniffer(Array(prefix.prefix(sniffByteCount)))
    return sniffer.mediaType() ?? octetStream
  }

  /// The type of anything not recognised, including an empty file.
  private static let octetStream = "application/octet-stream"
}

/// The checks, each reading only inside `bytes`.
private struct Sniffer {
  /// The leading bytes of the file, at most `MediaType.sniffByteCount`.
  let bytes: [UInt8]

  /// A sniffer over `bytes`, which the caller has already cut to at most `MediaType.sniffByteCount`.
  init(_ bytes: [UInt8]) {
    self.bytes = bytes
  }

  /// The recognised media type, or nil when nothing matched.
  func mediaType() -> String? {
    guard !bytes.isEmpty else { return nil }
    if starts(with: [0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
    if starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return "image/png" }
    if starts(with: "GIF87a") || starts(with: "GIF89a") { return "image/gif" }
    if starts(with: "RIFF") && matches("WEBP", at: 8) { return "image/webp" }
    if starts(with: "RIFF") && matches("WAVE", at: 8) { return "audio/wav" }
    if starts(with: "%PDF-") { return "application/pdf" }
    if let type = isoMediaType() { return type }
    if isLeadingQuickTimeAtom() && !isPlainText() { return "video/quicktime" }
    if starts(with: "#!AMR-WB\n") { return "audio/amr-wb" }
    if starts(with: "#!AMR\n") { return "audio/amr" }
    if starts(with: [0x4F, 0x67, 0x67, 0x53, 0x00]) { return "audio/ogg" }  // "OggS", stream structure version 0
    if starts(with: [0x50, 0x4B, 0x03, 0x04]) || starts(with: [0x50, 0x4B, 0x05, 0x06]) { return "application/zip" }
    if let type = id3TaggedAudioType() { return type }
    if isADTSFrame(at: 0) { return "audio/aac" }
    if isMPEGAudioFrame() { return "audio/mpeg" }
    if isPlainText() { return "text/plain" }
    return nil
  }

  // MARK: - Reading inside the prefix

  /// The byte at `index`, or nil outside the prefix.
  private func byte(at index: Int) -> UInt8? {
    index >= 0 && index < bytes.count ? bytes[index] : nil
  }

  /// Whether `signature` lies completely inside the prefix at `offset`.
  private func matches(_ signature: [UInt8], at offset: Int) -> Bool {
    guard offset >= 0, signature.count <= bytes.count - offset else { return false }
    for (index, expected) in signature.enumerated() where bytes[offset + index] != expected {
      return false
    }
    return true
  }

  /// Whether the ASCII text `signature` lies completely inside the prefix at `offset`.
  private func matches(_ signature: String, at offset: Int) -> Bool {
    matches(Array(signature.utf8), at: offset)
  }

  /// Whether the prefix opens with `signature`, all of it.
  private func starts(with signature: [UInt8]) -> Bool { matches(signature, at: 0) }

  /// Whether the prefix opens with the ASCII text `signature`, all of it.
  private func starts(with signature: String) -> Bool { matches(signature, at: 0) }

  /// The big-endian 32-bit number at `offset`, or nil when it does not fit in the prefix.
  private func uint32(at offset: Int) -> UInt32? {
    guard offset >= 0, offset <= bytes.count - 4 else { return nil }
    return bytes[offset..<offset + 4].reduce(0) { $0 << 8 | UInt32($1) }
  }

  /// The big-endian 64-bit number at `offset`, or nil when it does not fit in the prefix.
  private func uint64(at offset: Int) -> UInt64? {
    guard offset >= 0, offset <= bytes.count - 8 else { return nil }
    return bytes[offset..<offset + 8].reduce(0) { $0 << 8 | UInt64($1) }
  }

  /// The four bytes at `offset` (a box type or brand), or nil when they do not fit in the prefix.
  private func fourCC(at offset: Int) -> [UInt8]? {
    guard offset >= 0, offset <= bytes.count - 4 else { return nil }
    return Array(bytes[offset..<offset + 4])
  }

  // MARK: - ISO base media files (MP4, QuickTime, HEIC, 3GPP, M4A)

  /// HEIF brands: still images, image sequences and their multi-layer and HEVC-only variants.
  private static let heicBrands: Set<String> = ["heic", "heix", "mif1", "msf1", "heim", "heis", "hevc", "hevx"]
  /// General MP4 video brands.
  private static let mp4Brands: Set<String> = ["isom", "iso2", "mp41", "mp42", "avc1", "dash", "M4V "]
  /// AV1 image brands: AVIF files list the generic HEIF brand mif1 too, but they are not HEIC.
  private static let avifBrands: Set<String> = ["avif", "avis"]

  /// The type named by the `ftyp` box that opens an ISO base media file: its major brand when that is known,
  /// else the first known compatible brand. Only brands inside both the box and the prefix are read.
  private func isoMediaType() -> String? {
    guard matches("ftyp", at: 4), let size = uint32(at: 0) else { return nil }
    var brandsStart = 8
    let boxEnd: UInt64
    switch size {
    case 0:  // The box runs to the end of the file.
      boxEnd = UInt64.max
    case 1:  // A 64-bit size follows the type.
      guard let largeSize = uint64(at: 8), largeSize >= 24 else { return nil }
      brandsStart = 16
      boxEnd = largeSize
    default:  // Size, type, major brand and minor version take 16 bytes.
      guard size >= 16 else { return nil }
      boxEnd = UInt64(size)
    }
    let end = Int(min(boxEnd, UInt64(bytes.count)))
    guard brandsStart + 4 <= end, let major = fourCC(at: brandsStart) else { return nil }
    if let type = Self.type(ofBrand: major) { return type }
    if Self.avifBrands.contains(Self.text(major)) { return nil }
    var offset = brandsStart + 8
    while offset + 4 <= end {
      if let brand = fourCC(at: offset), let type = Self.type(ofBrand: brand) { return type }
      offset += 4
    }
    return nil
  }

  /// The media type one ISO brand stands for, or nil for brands not recognised.
  private static func type(ofBrand brand: [UInt8]) -> String? {
    let name = text(brand)
    if heicBrands.contains(name) { return "image/heic" }
    if mp4Brands.contains(name) { return "video/mp4" }
    if name == "qt  " { return "video/quicktime" }
    if name == "M4A " || name == "M4B " { return "audio/mp4" }
    if name.hasPrefix("3gp") || name.hasPrefix("3gs") { return "video/3gpp" }
    if name.hasPrefix("3g2") { return "video/3gpp2" }
    return nil
  }

  /// A brand or box type as text (bytes that are not UTF-8 never match a known name).
  private static func text(_ fourCC: [UInt8]) -> String {
    String(decoding: fourCC, as: UTF8.self)
  }

  /// Whether the file opens with a QuickTime `moov`, `mdat` or `wide` atom whose size is plausible.
  private func isLeadingQuickTimeAtom() -> Bool {
    guard let size = uint32(at: 0), let type = fourCC(at: 4) else { return false }
    guard ["moov", "mdat", "wide"].contains(Self.text(type)) else { return false }
    return size == 0 || size == 1 || size >= 8
  }

  // MARK: - Audio

  /// `audio/mpeg` for a valid ID3v2 tag, or `audio/aac` when an ADTS frame follows the tag inside the prefix.
  private func id3TaggedAudioType() -> String? {
    guard starts(with: "ID3"), bytes.count >= 10 else { return nil }
    guard (2...4).contains(bytes[3]), bytes[4] != 0xFF, bytes[6..<10].allSatisfy({ $0 < 0x80 }) else { return nil }
    let tagSize = bytes[6..<10].reduce(0) { $0 << 7 | Int($1) }
    let footerSize = bytes[5] & 0x10 != 0 ? 10 : 0
    return isADTSFrame(at: 10 + tagSize + footerSize) ? "audio/aac" : "audio/mpeg"
  }

  /// Whether an ADTS (AAC) frame header starts at `offset`: sync 0xFFF, layer 00, a valid sampling rate and a frame
  /// length that fits its header, and, when the next frame starts inside the prefix, another sync word there.
  private func isADTSFrame(at offset: Int) -> Bool {
    guard offset >= 0, offset <= bytes.count - 7 else { return false }
    let header = bytes[offset..<offset + 7].map { Int($0) }
    guard header[0] == 0xFF, header[1] & 0xF6 == 0xF0 else { return false }
    guard (header[2] >> 2) & 0x0F <= 12 else { return false }  // Sampling frequency index 13–15 is reserved.
    let frameLength = (header[3] & 0x03) << 11 | header[4] << 3 | header[5] >> 5
    let headerLength = header[1] & 0x01 == 1 ? 7 : 9
    guard frameLength >= headerLength else { return false }
    let next = offset + frameLength
    guard let first = byte(at: next), let second = byte(at: next + 1) else { return true }
    return first == 0xFF && second & 0xF6 == 0xF0
  }

  /// Bit rates in kbit/s by bit-rate index, for MPEG-1 layers I, II, III and MPEG-2/2.5 layer I, layers II–III.
  private static let bitRates: [[Int]] = [
    [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
    [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
    [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
    [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
    [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
  ]

  /// Whether an MPEG audio frame header opens the prefix: sync 0xFFE, a defined version, a layer other than 00, a
  /// valid bit rate and sampling rate and, when the next frame starts inside the prefix, another sync word there.
  private func isMPEGAudioFrame() -> Bool {
    guard bytes.count >= 4, bytes[0] == 0xFF, bytes[1] & 0xE0 == 0xE0 else { return false }
    let version = Int(bytes[1] >> 3) & 0x03  // 0 MPEG-2.5, 1 reserved, 2 MPEG-2, 3 MPEG-1.
    let layer = 4 - (Int(bytes[1] >> 1) & 0x03)  // Layer bits 11, 10, 01 are layers I, II, III; 00 is ADTS.
    let bitRateIndex = Int(bytes[2] >> 4)
    let sampleRateIndex = Int(bytes[2] >> 2) & 0x03
    guard version != 1, layer != 4, bitRateIndex != 15, sampleRateIndex != 3 else { return false }
    guard bitRateIndex != 0 else { return true }  // "Free format": the frame length cannot be known.
    let table = version == 3 ? layer - 1 : (layer == 1 ? 3 : 4)
    let bitRate = Self.bitRates[table][bitRateIndex] * 1000
    let sampleRate = [44_100, 48_000, 32_000][sampleRateIndex] / (version == 3 ? 1 : (version == 2 ? 2 : 4))
    let padding = Int(bytes[2] >> 1) & 0x01
    let frameLength: Int
    if layer == 1 {
      frameLength = (12 * bitRate / sampleRate + padding) * 4
    } else if layer == 3 && version != 3 {
      frameLength = 72 * bitRate / sampleRate + padding
    } else {
      frameLength = 144 * bitRate / sampleRate + padding
    }
    guard let first = byte(at: frameLength), let second = byte(at: frameLength + 1) else { return true }
    return first == 0xFF && second & 0xE0 == 0xE0
  }

  // MARK: - Text

  /// Whether the prefix is UTF-8 text: well formed (an optional byte order mark first, a multi-byte sequence may
  /// be cut by the end of the prefix), at least one complete character, and no NUL or control characters other
  /// than tab, line feed, form feed and carriage return (C1 controls and DEL included).
  private func isPlainText() -> Bool {
    var index = 0
    var sawCharacter = false
    if starts(with: [0xEF, 0xBB, 0xBF]) {
      index = 3
      sawCharacter = true
    }
    while index < bytes.count {
      let lead = bytes[index]
      if lead < 0x80 {
        guard (lead >= 0x20 && lead != 0x7F) || [0x09, 0x0A, 0x0C, 0x0D].contains(lead) else { return false }
        index += 1
        sawCharacter = true
        continue
      }
      let length: Int
      var secondRange: ClosedRange<UInt8> = 0x80...0xBF
      switch lead {
      case 0xC2...0xDF: length = 2
      case 0xE0:
        length = 3
        secondRange = 0xA0...0xBF  // No overlong forms.
      case 0xED:
        length = 3
        secondRange = 0x80...0x9F  // No surrogates.
      case 0xE1...0xEF: length = 3
      case 0xF0:
        length = 4
        secondRange = 0x90...0xBF  // No overlong forms.
      case 0xF4:
        length = 4
        secondRange = 0x80...0x8F  // Nothing above U+10FFFF.
      case 0xF1...0xF3: length = 4
      default: return false
      }
      for position in 1..<length {
        guard let continuation = byte(at: index + position) else { return sawCharacter }  // Cut by the prefix.
        guard (position == 1 ? secondRange : 0x80...0xBF).contains(continuation) else { return false }
      }
      if lead == 0xC2 && bytes[index + 1] < 0xA0 { return false }  // U+0080–U+009F are C1 controls.
      index += length
      sawCharacter = true
    }
    return sawCharacter
  }
}
