import EvidenceVault
import Testing

/// Small hand-built files of every recognised type, with the type each must be detected as.
private enum Samples {
  /// An ISO base media `ftyp` box with the given brands and declared size (by default its real size).
  static func ftyp(_ major: String, compatible: [String], size: UInt32? = nil) -> [UInt8] {
    let body = Array(major.utf8) + [0, 0, 0, 0] + compatible.flatMap { Array($0.utf8) }
    return bigEndian(size ?? UInt32(8 + body.count)) + Array("ftyp".utf8) + body
  }

  static func bigEndian(_ value: UInt32) -> [UInt8] {
    [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
  }

  /// An ADTS frame header (AAC LC, 44.1 kHz, stereo, no CRC) for a frame of `length` bytes, header included.
  static func adtsHeader(frameLength length: Int) -> [UInt8] {
    [
      0xFF, 0xF1, 0x50, 0x80 | UInt8((length >> 11) & 0x03), UInt8((length >> 3) & 0xFF),
      UInt8((length & 0x07) << 5) | 0x1F, 0xFC,
    ]
  }

  /// The UTF-8 bytes of `text`.
  static func utf8(_ text: String) -> [UInt8] { Array(text.utf8) }

  /// The body of a JFIF APP0 segment.
  static let jfifBody: [UInt8] = utf8("JFIF") + [0, 1, 1, 0, 0, 1, 0, 1, 0, 0]

  /// Swedish with å, ä, ö and emoji, as a person might write it.
  static let swedish =
    "Hej! Han stod utanför dörren på Storgatan igår kväll och skrek åt mig. "
    + "Jag är rädd 😢🚪\n"

  static let all: [Sample] = [
    Sample("JPEG", "image/jpeg", [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10] + jfifBody + [0xFF, 0xD9]),
    Sample(
      "PNG", "image/png",
      [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13] + utf8("IHDR")
        + [0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1F, 0x15, 0xC4, 0x89]),
    Sample("HEIC", "image/heic", ftyp("heic", compatible: ["mif1", "heic"]) + [0, 0, 0, 8] + utf8("meta")),
    Sample("HEIF sequence", "image/heic", ftyp("msf1", compatible: ["msf1", "hevc"])),
    Sample("GIF87a", "image/gif", utf8("GIF87a") + [1, 0, 1, 0, 0x80, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0x3B]),
    Sample("GIF89a", "image/gif", utf8("GIF89a") + [1, 0, 1, 0, 0x80, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0x3B]),
    Sample(
      "WebP", "image/webp", utf8("RIFF") + [26, 0, 0, 0] + utf8("WEBPVP8L") + [13, 0, 0, 0, 0x2F, 0, 0, 0, 0x10]),
    Sample("PDF", "application/pdf", utf8("%PDF-1.7\n%") + [0xE2, 0xE3, 0xCF, 0xD3] + utf8("\n1 0 obj\n")),
    Sample(
      "MP4", "video/mp4", ftyp("isom", compatible: ["isom", "iso2", "avc1", "mp41"]) + [0, 0, 0, 8] + utf8("free")),
    Sample("MP4 mp42", "video/mp4", ftyp("mp42", compatible: ["mp42", "isom"])),
    Sample("M4V", "video/mp4", ftyp("M4V ", compatible: ["M4V ", "M4A ", "mp42"])),
    Sample("QuickTime ftyp", "video/quicktime", ftyp("qt  ", compatible: ["qt  "]) + [0, 0, 0, 8] + utf8("wide")),
    Sample(
      "QuickTime wide atom", "video/quicktime",
      [0, 0, 0, 8] + utf8("wide") + [0, 0, 0x10, 0] + utf8("mdat") + [0, 0, 0, 0]),
    Sample(
      "QuickTime moov atom", "video/quicktime",
      [0, 0, 0, 0x6C] + utf8("moov") + [0, 0, 0, 0x64] + utf8("mvhd") + [0, 0, 0, 0]),
    Sample("QuickTime mdat atom", "video/quicktime", [0, 0, 0, 1] + utf8("mdat") + [0, 0, 0, 0, 0, 1, 0, 0]),
    Sample("M4A", "audio/mp4", ftyp("M4A ", compatible: ["M4A ", "mp42", "isom"])),
    Sample("M4B", "audio/mp4", ftyp("M4B ", compatible: ["M4B ", "mp42", "isom"])),
    Sample("3GP", "video/3gpp", ftyp("3gp4", compatible: ["isom", "3gp4"])),
    Sample("3GP streaming", "video/3gpp", ftyp("3gs7", compatible: ["3gs7", "3gp6"])),
    Sample("3G2", "video/3gpp2", ftyp("3g2a", compatible: ["3g2a"])),
    Sample(
      "AAC", "audio/aac",
      adtsHeader(frameLength: 12) + [0x21, 0x10, 0x04, 0x60, 0x8C] + adtsHeader(frameLength: 12)
        + [0x21, 0x10, 0x04, 0x60, 0x8C]),
    Sample("AMR", "audio/amr", utf8("#!AMR\n") + [0x3C, 0x48, 0xF5, 0x1F, 0x96, 0x66, 0x79, 0xE1, 0xE0, 0x01]),
    Sample("AMR-WB", "audio/amr-wb", utf8("#!AMR-WB\n") + [0x24, 0x44, 0x54, 0x12, 0x5A, 0x5F, 0x8B, 0xC4]),
    Sample(
      "MP3 with ID3", "audio/mpeg",
      utf8("ID3") + [3, 0, 0, 0, 0, 0, 10] + [UInt8](repeating: 0, count: 10) + [0xFF, 0xFB, 0x90, 0x64, 0, 0]),
    Sample("MP3 frame", "audio/mpeg", [0xFF, 0xFB, 0x90, 0x64] + [UInt8](repeating: 0, count: 28)),
    Sample("MPEG-2 layer II frame", "audio/mpeg", [0xFF, 0xF5, 0x84, 0xC4] + [UInt8](repeating: 0x55, count: 20)),
    Sample(
      "WAV", "audio/wav",
      utf8("RIFF") + [36, 0, 0, 0] + utf8("WAVEfmt ") + [16, 0, 0, 0, 1, 0, 1, 0, 0x40, 0x1F, 0, 0]),
    Sample("Ogg", "audio/ogg", utf8("OggS") + [0, 2] + [UInt8](repeating: 0, count: 8) + [0x2A, 0, 0, 0, 0, 0]),
    Sample("ZIP", "application/zip", [0x50, 0x4B, 0x03, 0x04, 0x14, 0, 0, 0, 8, 0] + [UInt8](repeating: 0, count: 20)),
    Sample("Empty ZIP", "application/zip", [0x50, 0x4B, 0x05, 0x06] + [UInt8](repeating: 0, count: 18)),
    Sample("Swedish text", "text/plain", utf8(swedish)),
  ]
}

/// One sample file and the type it must be detected as.
private struct Sample {
  let name: String
  let type: String
  let bytes: [UInt8]

  init(_ name: String, _ type: String, _ bytes: [UInt8]) {
    self.name = name
    self.type = type
    self.bytes = bytes
  }
}

/// Every answer `detect` may give.
private let knownTypes: Set<String> = [
  "image/jpeg", "image/png", "image/heic", "image/gif", "image/webp", "application/pdf", "video/mp4",
  "video/quicktime", "audio/mp4", "audio/aac", "audio/amr", "audio/amr-wb", "video/3gpp", "video/3gpp2",
  "audio/mpeg", "audio/wav", "audio/ogg", "application/zip", "text/plain", "application/octet-stream",
]

struct MediaTypeTests {
  @Test func everyKnownTypeIsRecognisedFromItsMagicBytes() {
    for sample in Samples.all {
      #expect(MediaType.detect(sample.bytes) == sample.type, "\(sample.name)")
    }
    #expect(Set(Samples.all.map(\.type)).union(["application/octet-stream"]) == knownTypes)
  }

  @Test func truncatedSamplesNeverClaimAnotherSpecificType() {
    for sample in Samples.all {
      for length in 1...min(11, sample.bytes.count) {
        let prefix = Array(sample.bytes.prefix(length))
        var allowed: Set<String> = [sample.type, "application/octet-stream"]
        // The first bytes of some signatures ("%PDF", "GIF8", "RIFF") are themselves a tiny text file.
        if prefix.allSatisfy({ (0x20...0x7E).contains($0) || $0 == 0x0A }) { allowed.insert("text/plain") }
        let type = MediaType.detect(prefix)
        #expect(allowed.contains(type), "\(sample.name) cut to \(length) bytes gave \(type)")
      }
    }
  }

  @Test func onlyTheFirstSniffByteCountBytesAreLookedAt() {
    #expect(MediaType.sniffByteCount == 512)
    let text = [UInt8](repeating: UInt8(ascii: "a"), count: MediaType.sniffByteCount)
    #expect(MediaType.detect(text + [0, 1, 2, 0xFF]) == "text/plain")
    #expect(MediaType.detect([UInt8](repeating: 0, count: 512) + Array("%PDF-".utf8)) == "application/octet-stream")
  }

  @Test func anEmptyFileIsOctetStream() {
    #expect(MediaType.detect([]) == "application/octet-stream")
  }

  @Test func randomBytesNeverCrashAndAreAlmostNeverGivenASpecificType() {
    var generator = SeededGenerator(state: 20_261_128)
    var octetStreams = 0
    for round in 0..<2000 {
      let count = round < 1000 ? round % 40 : Int.random(in: 0...700, using: &generator)
      let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
      let type = MediaType.detect(bytes)
      #expect(knownTypes.contains(type))
      if round >= 1000 && type == "application/octet-stream" { octetStreams += 1 }
    }
    #expect(octetStreams >= 990)
  }

  @Test func randomBytesBehindEveryMagicNeverCrash() {
    var generator = SeededGenerator(state: 42)
    for sample in Samples.all {
      for length in 0..<24 {
        let tail = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
        for cut in 0...min(12, sample.bytes.count) {
          #expect(knownTypes.contains(MediaType.detect(Array(sample.bytes.prefix(cut)) + tail)))
        }
      }
    }
  }

  @Test func swedishTextWithEmojiIsPlainText() {
    #expect(MediaType.detect(Array(Samples.swedish.utf8)) == "text/plain")
    #expect(MediaType.detect(Array("Åsa, Östen, Ärla\r\n\tjag är rädd\u{0C}".utf8)) == "text/plain")
    #expect(MediaType.detect([0xEF, 0xBB, 0xBF] + Array("Med BOM: blåbär".utf8)) == "text/plain")
  }

  @Test func aCharacterCutByTheEndOfThePrefixIsStillText() {
    var text: [UInt8] = []
    while text.count < 2 * MediaType.sniffByteCount { text += Array(Samples.swedish.utf8) }
    for cut in 1..<40 {
      let prefix = Array(text.prefix(MediaType.sniffByteCount - cut))
      #expect(MediaType.detect(prefix) == "text/plain", "cut at \(MediaType.sniffByteCount - cut)")
    }
    let emoji = Array("😢".utf8)
    for cut in 1..<emoji.count {
      #expect(MediaType.detect(Array("Jag är rädd ".utf8) + emoji.prefix(cut)) == "text/plain")
    }
    #expect(MediaType.detect(Array(emoji.prefix(2))) == "application/octet-stream")
  }

  @Test func malformedUTF8AndControlCharactersAreNotText() {
    let cases: [[UInt8]] = [
      Array("abc".utf8) + [0] + Array("def".utf8),  // NUL
      Array("abc\u{1B}[31mdef".utf8),  // ESC
      Array("abc\u{7F}".utf8),  // DEL
      Array("abc\u{0B}def".utf8),  // vertical tab
      Array("abc\u{85}def".utf8),  // C1 next line
      Array("abc".utf8) + [0xC0, 0xAF],  // overlong "/"
      Array("abc".utf8) + [0xE0, 0x80, 0xAF],  // overlong "/"
      Array("abc".utf8) + [0xED, 0xA0, 0x80],  // surrogate
      Array("abc".utf8) + [0xF4, 0x90, 0x80, 0x80],  // above U+10FFFF
      Array("abc".utf8) + [0x80, 0x61],  // lone continuation byte
      Array("abc".utf8) + [0xC3, 0x61],  // lead byte without continuation
      Array("abc".utf8) + [0xFF, 0x61],
      Array("Latin-1 r".utf8) + [0xE4] + Array("dd".utf8),
    ]
    for bytes in cases {
      #expect(MediaType.detect(bytes) == "application/octet-stream", "\(bytes)")
    }
  }

  @Test func utf16TextIsNotMistakenForMPEGAudio() {
    var utf16: [UInt8] = [0xFF, 0xFE]
    for unit in String(repeating: "Hej, jag heter Åsa. ", count: 10).utf16 {
      utf16 += [UInt8(unit & 0xFF), UInt8(unit >> 8)]
    }
    #expect(MediaType.detect(utf16) == "application/octet-stream")
  }

  @Test func textThatMerelyMentionsAnAtomNameStaysText() {
    #expect(MediaType.detect(Array("The moovie was filmed in the stairwell.".utf8)) == "text/plain")
    #expect(MediaType.detect(Array("Yes mdat is short for media data.".utf8)) == "text/plain")
  }

  @Test func compatibleBrandsAreUsedWhenTheMajorBrandIsUnknown() {
    #expect(MediaType.detect(Samples.ftyp("zzzz", compatible: ["zzzz", "heix"])) == "image/heic")
    #expect(MediaType.detect(Samples.ftyp("XAVC", compatible: ["XAVC", "mp42", "iso2"])) == "video/mp4")
    #expect(MediaType.detect(Samples.ftyp("zzzz", compatible: ["zzzz", "3g2b"])) == "video/3gpp2")
    #expect(MediaType.detect(Samples.ftyp("zzzz", compatible: ["zzzz"])) == "application/octet-stream")
    // AVIF lists the generic HEIF brand but is not HEIC.
    #expect(MediaType.detect(Samples.ftyp("avif", compatible: ["avif", "mif1", "miaf"])) == "application/octet-stream")
  }

  @Test func ftypBoxSizesAreRespected() {
    // Too small to hold a major brand and minor version.
    #expect(MediaType.detect(Samples.ftyp("heic", compatible: [], size: 12)) == "application/octet-stream")
    #expect(MediaType.detect(Samples.ftyp("heic", compatible: [], size: 2)) == "application/octet-stream")
    // A compatible brand after the end of the box does not count.
    #expect(MediaType.detect(Samples.ftyp("zzzz", compatible: ["heic"], size: 16)) == "application/octet-stream")
    let pastTheBox = Samples.ftyp("zzzz", compatible: ["abcd", "heic"], size: 22)
    #expect(MediaType.detect(pastTheBox) == "application/octet-stream")
    // A box larger than the prefix is read up to the end of the prefix, never beyond.
    #expect(MediaType.detect(Samples.ftyp("zzzz", compatible: ["heic"], size: 0xFFFF_FFFF)) == "image/heic")
    let cutBrand = Samples.ftyp("zzzz", compatible: ["hei"], size: 0xFFFF_FFFF)
    #expect(MediaType.detect(cutBrand) == "application/octet-stream")
    // Size 0 runs to the end of the file.
    #expect(MediaType.detect(Samples.ftyp("zzzz", compatible: ["mp41"], size: 0)) == "video/mp4")
    // Size 1: a 64-bit size follows, then the brands.
    let large = [0, 0, 0, 1] + Array("ftyp".utf8) + [0, 0, 0, 0, 0, 0, 0, 28] + Array("M4A \0\0\0\0M4A ".utf8)
    #expect(MediaType.detect(large) == "audio/mp4")
    let tooSmall = [0, 0, 0, 1] + Array("ftyp".utf8) + [0, 0, 0, 0, 0, 0, 0, 9] + Array("M4A \0\0\0\0M4A ".utf8)
    #expect(MediaType.detect(tooSmall) == "application/octet-stream")
    // Brands in a box longer than the prefix, cut mid-brand.
    let cut = Samples.ftyp("zzzz", compatible: ["zzzz", "zzzz", "heic"]).dropLast(1)
    #expect(MediaType.detect(Array(cut)) == "application/octet-stream")
  }

  @Test func audioFramesAreCheckedBeyondTheirSyncWord() {
    // Layer bits 00 after an 0xFFE sync is ADTS, not MPEG audio; an ADTS header needs all seven bytes.
    #expect(MediaType.detect([0xFF, 0xF1, 0x50, 0x80]) == "application/octet-stream")
    // A reserved MPEG version, a bad bit-rate index or a reserved sampling rate are not MPEG audio.
    #expect(MediaType.detect([0xFF, 0xEB, 0x90, 0x64, 0, 0]) == "application/octet-stream")
    #expect(MediaType.detect([0xFF, 0xFB, 0xF0, 0x64, 0, 0]) == "application/octet-stream")
    #expect(MediaType.detect([0xFF, 0xFB, 0x9C, 0x64, 0, 0]) == "application/octet-stream")
    // The next frame, when inside the prefix, must start with a sync word too.
    let oneFrame = [0xFF, 0xFB, 0x90, 0x64] + [UInt8](repeating: 0, count: 413)
    #expect(MediaType.detect(oneFrame + [0xFF, 0xFB, 0x90, 0x64]) == "audio/mpeg")
    #expect(MediaType.detect(oneFrame + [0x12, 0x34, 0x56, 0x78]) == "application/octet-stream")
    let adts = Samples.adtsHeader(frameLength: 12) + [1, 2, 3, 4, 5]
    #expect(MediaType.detect(adts + [0x12, 0x34]) == "application/octet-stream")
    #expect(MediaType.detect(Samples.adtsHeader(frameLength: 3) + [0, 0]) == "application/octet-stream")
    // An ID3 tag in front of an ADTS stream is AAC.
    let id3 = Array("ID3".utf8) + [4, 0, 0, 0, 0, 0, 2, 0, 0]
    #expect(MediaType.detect(id3 + Samples.adtsHeader(frameLength: 9) + [0, 0]) == "audio/aac")
    // "ID3" followed by text is not a tag.
    #expect(MediaType.detect(Array("ID3 is a tag format".utf8)) == "text/plain")
  }
}
