/// Builds small JPEG files with an EXIF block in memory, so that no binary fixture is shipped.
///
/// The file is SOI, one APP1 "Exif\0\0" segment holding a TIFF structure, and EOI: enough for EXIF readers. The
/// TIFF structure is IFD0 (Make, Model, DateTime, the EXIF and GPS IFD pointers), then the EXIF IFD
/// (ExifVersion, DateTimeOriginal, OffsetTimeOriginal), then the GPS IFD (version, latitude and longitude with
/// their references as three rationals each, altitude with its reference), each IFD followed by the values that
/// do not fit in its entries. `build` also returns where everything landed, so tests can corrupt chosen bytes.
enum JPEGFixture {
  /// Where the parts of a built file are, as offsets into the whole JPEG.
  struct Layout {
    /// Where the TIFF header ("II" or "MM") starts; offsets inside the EXIF block count from here.
    var tiffStart = 0
    /// Where the APP1 segment's 2-byte length is.
    var app1LengthOffset = 0
    /// Where IFD0's 2-byte entry count is.
    var ifd0 = 0
    /// Where the EXIF IFD's 2-byte entry count is, when there is one.
    var exifIFD: Int?
    /// Where the GPS IFD's 2-byte entry count is, when there is one.
    var gpsIFD: Int?
    /// Where each tag's 12-byte entry starts, by tag number (the tags written never clash across IFDs).
    var entries: [UInt16: Int] = [:]
    /// Where each tag's value bytes are, inside its entry or after its IFD.
    var values: [UInt16: Int] = [:]
  }

  /// A JPEG whose EXIF block holds exactly the given fields; latitude and longitude are signed degrees and the
  /// altitude is metres, negative below sea level.
  static func make(
    make: String? = nil, model: String? = nil, dateTimeOriginal: String? = nil, offset: String? = nil,
    latitude: Double? = nil, longitude: Double? = nil, altitude: Double? = nil, bigEndian: Bool = false
  ) -> [UInt8] {
    build(
      make: make, model: model, dateTimeOriginal: dateTimeOriginal, offset: offset, latitude: latitude,
      longitude: longitude, altitude: altitude, bigEndian: bigEndian
    ).bytes
  }

  /// The same file as `make`, optionally with an IFD0 DateTime too, and where its parts are.
  static func build(
    make: String? = nil, model: String? = nil, dateTime: String? = nil, dateTimeOriginal: String? = nil,
    offset: String? = nil, latitude: Double? = nil, longitude: Double? = nil, altitude: Double? = nil,
    bigEndian: Bool = false
  ) -> (bytes: [UInt8], layout: Layout) {
    var tiff = TIFFWriter(bigEndian: bigEndian)

    var exifEntries: [IFDEntry] = []
    if dateTimeOriginal != nil || offset != nil {
      exifEntries.append(IFDEntry(tag: 0x9000, type: .undefined, count: 4, value: Array("0232".utf8)))
    }
    if let dateTimeOriginal { exifEntries.append(.ascii(0x9003, dateTimeOriginal)) }
    if let offset { exifEntries.append(.ascii(0x9011, offset)) }

    var gpsEntries: [IFDEntry] = []
    if latitude != nil || longitude != nil || altitude != nil {
      gpsEntries.append(IFDEntry(tag: 0x0000, type: .byte, count: 4, value: [2, 3, 0, 0]))
    }
    if let latitude {
      gpsEntries.append(.ascii(0x0001, latitude < 0 ? "S" : "N"))
      gpsEntries.append(tiff.degrees(0x0002, abs(latitude)))
    }
    if let longitude {
      gpsEntries.append(.ascii(0x0003, longitude < 0 ? "W" : "E"))
      gpsEntries.append(tiff.degrees(0x0004, abs(longitude)))
    }
    if let altitude {
      gpsEntries.append(IFDEntry(tag: 0x0005, type: .byte, count: 1, value: [altitude < 0 ? 1 : 0]))
      let centimetres = UInt32((abs(altitude) * 100).rounded())
      gpsEntries.append(IFDEntry(tag: 0x0006, type: .rational, count: 1, value: tiff.rational(centimetres, 100)))
    }

    var ifd0Entries: [IFDEntry] = []
    if let make { ifd0Entries.append(.ascii(0x010F, make)) }
    if let model { ifd0Entries.append(.ascii(0x0110, model)) }
    if let dateTime { ifd0Entries.append(.ascii(0x0132, dateTime)) }
    if !exifEntries.isEmpty { ifd0Entries.append(IFDEntry(tag: 0x8769, type: .long, count: 1, value: tiff.long(0))) }
    if !gpsEntries.isEmpty { ifd0Entries.append(IFDEntry(tag: 0x8825, type: .long, count: 1, value: tiff.long(0))) }

    var layout = Layout()
    layout.ifd0 = tiff.writeIFD(ifd0Entries, layout: &layout)
    if !exifEntries.isEmpty {
      let start = tiff.writeIFD(exifEntries, layout: &layout)
      layout.exifIFD = start
      tiff.patchLong(at: layout.values[0x8769, default: 0], UInt32(start))
    }
    if !gpsEntries.isEmpty {
      let start = tiff.writeIFD(gpsEntries, layout: &layout)
      layout.gpsIFD = start
      tiff.patchLong(at: layout.values[0x8825, default: 0], UInt32(start))
    }

    let exifHeader: [UInt8] = Array("Exif".utf8) + [0, 0]
    let segmentLength = 2 + exifHeader.count + tiff.bytes.count
    var jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE1, UInt8(segmentLength >> 8), UInt8(segmentLength & 0xFF)]
    jpeg += exifHeader
    let tiffStart = jpeg.count
    jpeg += tiff.bytes
    jpeg += [0xFF, 0xD9]

    layout.app1LengthOffset = 4
    layout.tiffStart = tiffStart
    layout.ifd0 += tiffStart
    layout.exifIFD = layout.exifIFD.map { $0 + tiffStart }
    layout.gpsIFD = layout.gpsIFD.map { $0 + tiffStart }
    layout.entries = layout.entries.mapValues { $0 + tiffStart }
    layout.values = layout.values.mapValues { $0 + tiffStart }
    return (jpeg, layout)
  }

  /// Writes `value` as 2 bytes at `offset` of `bytes`, in the given byte order.
  static func putShort(_ value: UInt16, at offset: Int, of bytes: inout [UInt8], bigEndian: Bool = false) {
    let pair = [UInt8(value >> 8), UInt8(value & 0xFF)]
    bytes.replaceSubrange(offset..<offset + 2, with: bigEndian ? pair : pair.reversed())
  }

  /// Writes `value` as 4 bytes at `offset` of `bytes`, in the given byte order.
  static func putLong(_ value: UInt32, at offset: Int, of bytes: inout [UInt8], bigEndian: Bool = false) {
    let quad = [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    bytes.replaceSubrange(offset..<offset + 4, with: bigEndian ? quad : quad.reversed())
  }
}

/// TIFF field types used by the fixture.
private enum FieldType: UInt16 {
  case byte = 1
  case ascii = 2
  case long = 4
  case rational = 5
  case undefined = 7
}

/// One IFD entry with its value bytes already in the file's byte order.
private struct IFDEntry {
  var tag: UInt16
  var type: FieldType
  var count: UInt32
  var value: [UInt8]

  /// A NUL-terminated ASCII entry.
  static func ascii(_ tag: UInt16, _ text: String) -> IFDEntry {
    let bytes = Array(text.utf8) + [0]
    return IFDEntry(tag: tag, type: .ascii, count: UInt32(bytes.count), value: bytes)
  }
}

/// Appends TIFF structures in one byte order.
private struct TIFFWriter {
  /// Whether numbers are written "MM" (big-endian) rather than "II".
  let bigEndian: Bool
  /// The TIFF structure so far, starting with its header.
  private(set) var bytes: [UInt8]

  /// A writer holding just the TIFF header, with IFD0 to follow at offset 8.
  init(bigEndian: Bool) {
    self.bigEndian = bigEndian
    bytes = bigEndian ? Array("MM".utf8) : Array("II".utf8)
    bytes += short(42)
    bytes += long(8)
  }

  /// A 16-bit number in the writer's byte order.
  func short(_ value: UInt16) -> [UInt8] {
    let pair = [UInt8(value >> 8), UInt8(value & 0xFF)]
    return bigEndian ? pair : pair.reversed()
  }

  /// A 32-bit number in the writer's byte order.
  func long(_ value: UInt32) -> [UInt8] {
    let quad = [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    return bigEndian ? quad : quad.reversed()
  }

  /// An unsigned rational in the writer's byte order.
  func rational(_ numerator: UInt32, _ denominator: UInt32) -> [UInt8] {
    long(numerator) + long(denominator)
  }

  /// Degrees, minutes and seconds (to a millionth of a second) of a non-negative angle, as three rationals.
  func degrees(_ tag: UInt16, _ angle: Double) -> IFDEntry {
    let whole = angle.rounded(.down)
    let minutes = ((angle - whole) * 60).rounded(.down)
    let seconds = ((angle - whole) * 60 - minutes) * 60
    let value =
      rational(UInt32(whole), 1) + rational(UInt32(minutes), 1) + rational(UInt32((seconds * 1e6).rounded()), 1_000_000)
    return IFDEntry(tag: tag, type: .rational, count: 3, value: value)
  }

  /// Overwrites the 32-bit number at `offset` of the TIFF structure.
  mutating func patchLong(at offset: Int, _ value: UInt32) {
    bytes.replaceSubrange(offset..<offset + 4, with: long(value))
  }

  /// Appends an IFD with its out-of-line values and returns its offset; records entry and value offsets.
  mutating func writeIFD(_ entries: [IFDEntry], layout: inout JPEGFixture.Layout) -> Int {
    if bytes.count % 2 == 1 { bytes.append(0) }
    let start = bytes.count
    let sorted = entries.sorted { $0.tag < $1.tag }
    var dataOffset = start + 2 + 12 * sorted.count + 4
    var data: [UInt8] = []
    bytes += short(UInt16(sorted.count))
    for entry in sorted {
      layout.entries[entry.tag] = bytes.count
      bytes += short(entry.tag) + short(entry.type.rawValue) + long(entry.count)
      if entry.value.count <= 4 {
        layout.values[entry.tag] = bytes.count
        bytes += entry.value + [UInt8](repeating: 0, count: 4 - entry.value.count)
      } else {
        layout.values[entry.tag] = dataOffset
        bytes += long(UInt32(dataOffset))
        data += entry.value
        dataOffset += entry.value.count
        if entry.value.count % 2 == 1 {
          data.append(0)
          dataOffset += 1
        }
      }
    }
    bytes += long(0)  // No next IFD.
    bytes += data
    return start
  }
}
