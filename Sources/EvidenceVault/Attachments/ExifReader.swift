internal import CExif

/// What a photo says about when, where and with what it was taken. Every field is optional and checked.
public struct CaptureMetadata: Codable, Equatable, Sendable {
  /// EXIF DateTimeOriginal as local wall time, "2026-11-28T22:30:15" (no zone).
  public var takenAt: String?
  /// EXIF OffsetTimeOriginal, "+01:00", when the camera recorded it.
  public var takenAtOffset: String?
  /// WGS 84 degrees, south and west negative, rounded to 7 decimal places.
  public var latitude: Double?
  /// WGS 84 degrees, south and west negative, rounded to 7 decimal places.
  public var longitude: Double?
  /// Metres above sea level (negative below), rounded to 1 decimal place.
  public var altitude: Double?
  /// Camera or phone maker and model, as written (printable characters only, at most 64).
  public var make: String?
  /// Camera or phone model, as written (printable characters only, at most 64).
  public var model: String?

  /// Metadata with the given fields; every field left out is unknown.
  public init(
    takenAt: String? = nil, takenAtOffset: String? = nil, latitude: Double? = nil, longitude: Double? = nil,
    altitude: Double? = nil, make: String? = nil, model: String? = nil
  ) {
    self.takenAt = takenAt
    self.takenAtOffset = takenAtOffset
    self.latitude = latitude
    self.longitude = longitude
    self.altitude = altitude
    self.make = make
    self.model = model
  }

  /// True when no field is set.
  public var isEmpty: Bool {
    takenAt == nil && takenAtOffset == nil && latitude == nil && longitude == nil && altitude == nil
      && make == nil && model == nil
  }
}

/// Reads the capture metadata of JPEG photos with libexif, treating every byte as hostile.
///
/// The JPEG segments are walked here, inside the given bytes only, to find the APP1 "Exif" segment; libexif then
/// parses that segment alone, with its "follow the specification" repair switched off so that what is read is what
/// the file holds (that repair rewrites entries it finds malformed, removes some and adds mandatory ones with
/// default values). Every entry's format, component count and size are checked before its bytes are read, and a
/// value that is malformed or out of range drops that one field, never the whole result.
public enum ExifReader {
  /// How many leading bytes of a file `read` needs at most (EXIF lives in the JPEG's APP1 segment, ≤ 64 KiB).
  public static let prefixByteCount = 128 * 1024

  /// The capture metadata of a JPEG from its first bytes, or nil when it has none or is not a JPEG.
  public static func read(jpegPrefix: [UInt8]) -> CaptureMetadata? {
    guard let segment = exifSegment(in: jpegPrefix), let exifData = exif_data_new() else { return nil }
    defer { exif_data_unref(exifData) }
    exif_data_unset_option(exifData, EXIF_DATA_OPTION_FOLLOW_SPECIFICATION)
    segment.withUnsafeBufferPointer { buffer in
      guard let base = buffer.baseAddress else { return }
      exif_data_load_data(exifData, base, UInt32(clamping: buffer.count))
    }

    let tags = ExifTags(exifData)
    var metadata = CaptureMetadata()
    metadata.takenAt =
      tags.ascii(TagNumber.dateTimeOriginal, in: .exif).flatMap(localDateTime)
      ?? tags.ascii(TagNumber.dateTime, in: .zero).flatMap(localDateTime)
    metadata.takenAtOffset = tags.ascii(TagNumber.offsetTimeOriginal, in: .exif).flatMap(utcOffset)
    metadata.latitude = tags.coordinate(
      TagNumber.gpsLatitude, ref: TagNumber.gpsLatitudeRef, hemispheres: ("N", "S"), limit: 90)
    metadata.longitude = tags.coordinate(
      TagNumber.gpsLongitude, ref: TagNumber.gpsLongitudeRef, hemispheres: ("E", "W"), limit: 180)
    metadata.altitude = tags.altitude()
    metadata.make = tags.ascii(TagNumber.make, in: .zero).flatMap(printable)
    metadata.model = tags.ascii(TagNumber.model, in: .zero).flatMap(printable)
    return metadata.isEmpty ? nil : metadata
  }

  // MARK: - Finding the EXIF segment

  /// The payload of the first APP1 segment that starts with "Exif\0\0", cut to the bytes actually present, or nil
  /// when the bytes are not a JPEG or no such segment comes before the image data.
  private static func exifSegment(in bytes: [UInt8]) -> [UInt8]? {
    guard bytes.count >= 4, bytes[0] == 0xFF, bytes[1] == 0xD8, bytes[2] == 0xFF else { return nil }
    let exifHeader: [UInt8] = [0x45, 0x78, 0x69, 0x66, 0x00, 0x00]
    var index = 2
    while index < bytes.count {
      guard bytes[index] == 0xFF else { return nil }  // Not a marker: corrupt.
      while index < bytes.count && bytes[index] == 0xFF { index += 1 }  // Fill bytes.
      guard index < bytes.count else { return nil }
      let marker = bytes[index]
      index += 1
      switch marker {
      case 0x01, 0xD0...0xD8:  // TEM, RSTn and a stray SOI carry no length.
        continue
      case 0xD9, 0xDA, 0x00:  // End of image, start of scan (no EXIF after it), or a stuffed byte: stop.
        return nil
      default:
        guard index + 2 <= bytes.count else { return nil }
        let length = Int(bytes[index]) << 8 | Int(bytes[index + 1])
        guard length >= 2 else { return nil }
        let payloadStart = index + 2
        let payloadEnd = min(index + length, bytes.count)
        if marker == 0xE1 && payloadEnd - payloadStart >= exifHeader.count
          && Array(bytes[payloadStart..<payloadStart + exifHeader.count]) == exifHeader
        {
          return Array(bytes[payloadStart..<payloadEnd])
        }
        index += length
      }
    }
    return nil
  }

  // MARK: - Checking values

  /// "2026-11-28T22:30:15" from EXIF's "2026:11:28 22:30:15" (hyphens in the date are tolerated), or nil when it
  /// is not a real calendar date and time of day in the years 1800–9999.
  private static func localDateTime(_ raw: [UInt8]) -> String? {
    let text = trimmed(raw)
    guard text.count == 19, text[4] == UInt8(ascii: ":") || text[4] == UInt8(ascii: "-"), text[7] == text[4],
      text[10] == UInt8(ascii: " "), text[13] == UInt8(ascii: ":"), text[16] == UInt8(ascii: ":")
    else { return nil }
    guard let year = number(text, 0..<4), let month = number(text, 5..<7), let day = number(text, 8..<10),
      let hour = number(text, 11..<13), let minute = number(text, 14..<16), let second = number(text, 17..<19)
    else { return nil }
    guard (1800...9999).contains(year), (1...12).contains(month), (1...daysIn(month, of: year)).contains(day),
      hour < 24, minute < 60, second < 60
    else { return nil }
    return "\(digits(year, 4))-\(digits(month, 2))-\(digits(day, 2))T"
      + "\(digits(hour, 2)):\(digits(minute, 2)):\(digits(second, 2))"
  }

  /// "+01:00" or "-05:30" as written, or nil unless it is a sign, hours and minutes within −12:00…+14:00.
  private static func utcOffset(_ raw: [UInt8]) -> String? {
    let text = trimmed(raw)
    guard text.count == 6, text[0] == UInt8(ascii: "+") || text[0] == UInt8(ascii: "-"),
      text[3] == UInt8(ascii: ":"), let hours = number(text, 1..<3), let minutes = number(text, 4..<6),
      minutes < 60
    else { return nil }
    let total = hours * 60 + minutes
    guard total <= (text[0] == UInt8(ascii: "+") ? 14 * 60 : 12 * 60) else { return nil }
    return String(decoding: text, as: UTF8.self)
  }

  /// The most Unicode scalars kept from a maker or model name.
  private static let maximumNameLength = 64

  /// A maker or model name with control, format (bidirectional overrides included), private-use and unassigned
  /// characters removed, trimmed, and cut after at most 64 Unicode scalars at a character boundary; nil when
  /// nothing printable is left. Text that is not UTF-8 is read as ISO 8859-1.
  private static func printable(_ raw: [UInt8]) -> String? {
    let bytes = raw.prefix { $0 != 0 }
    let latin1 = String(String.UnicodeScalarView(bytes.map(Unicode.Scalar.init)))
    let decoded = String(validating: bytes, as: UTF8.self) ?? latin1
    var kept = String.UnicodeScalarView()
    for scalar in decoded.unicodeScalars where isPrintable(scalar) {
      kept.append(scalar)
    }
    var result = ""
    var scalarCount = 0
    for character in trimmingWhitespace(String(kept)) {
      scalarCount += character.unicodeScalars.count
      guard scalarCount <= maximumNameLength else { break }
      result.append(character)
    }
    result = trimmingWhitespace(result)
    return result.isEmpty ? nil : result
  }

  /// Whether a scalar may appear in a name shown to people (joiners are kept so that emoji stay whole).
  private static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
    if scalar == "\u{200C}" || scalar == "\u{200D}" { return true }
    switch scalar.properties.generalCategory {
    case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator: return false
    default: return true
    }
  }

  /// `text` without leading and trailing white space.
  private static func trimmingWhitespace(_ text: String) -> String {
    let scalars = text.unicodeScalars
    guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
      let end = scalars.lastIndex(where: { !$0.properties.isWhitespace })
    else { return "" }
    return String(scalars[start...end])
  }

  /// The bytes before the first NUL, without trailing spaces.
  private static func trimmed(_ raw: [UInt8]) -> [UInt8] {
    var text = Array(raw.prefix { $0 != 0 })
    while text.last == 0x20 { text.removeLast() }
    return text
  }

  /// The decimal number written with ASCII digits only in `range` of `text`.
  private static func number(_ text: [UInt8], _ range: Range<Int>) -> Int? {
    var value = 0
    for byte in text[range] {
      guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
      value = value * 10 + Int(byte - UInt8(ascii: "0"))
    }
    return value
  }

  /// `value` written with at least `width` digits.
  private static func digits(_ value: Int, _ width: Int) -> String {
    let text = String(value)
    return String(repeating: "0", count: max(0, width - text.count)) + text
  }

  /// The number of days in `month` (1–12) of the Gregorian `year`.
  private static func daysIn(_ month: Int, of year: Int) -> Int {
    switch month {
    case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }
}

/// The EXIF tags read, by number (GPS tags reuse small numbers, so a tag only means something within its IFD).
private enum TagNumber {
  static let make: UInt16 = 0x010F
  static let model: UInt16 = 0x0110
  static let dateTime: UInt16 = 0x0132
  static let dateTimeOriginal: UInt16 = 0x9003
  static let offsetTimeOriginal: UInt16 = 0x9011
  static let gpsLatitudeRef: UInt16 = 0x0001
  static let gpsLatitude: UInt16 = 0x0002
  static let gpsLongitudeRef: UInt16 = 0x0003
  static let gpsLongitude: UInt16 = 0x0004
  static let gpsAltitudeRef: UInt16 = 0x0005
  static let gpsAltitude: UInt16 = 0x0006
}

/// The image file directories the tags are read from.
private enum ExifDirectory {
  case zero
  case exif
  case gps
}

/// Checked access to the entries libexif loaded; valid only while the `ExifData` it wraps is alive.
private struct ExifTags {
  /// The loaded data, owned by the caller.
  let exifData: UnsafeMutablePointer<ExifData>
  /// The byte order of the TIFF header, for numbers longer than a byte.
  let order: ExifByteOrder

  /// Access to the entries of `exifData`, read in its byte order.
  init(_ exifData: UnsafeMutablePointer<ExifData>) {
    self.exifData = exifData
    self.order = exif_data_get_byte_order(exifData)
  }

  /// The entry for `tag` in `directory`, when it has data.
  private func entry(_ tag: UInt16, in directory: ExifDirectory) -> ExifEntry? {
    let content: UnsafeMutablePointer<ExifContent>? =
      switch directory {
      case .zero: exifData.pointee.ifd.0
      case .exif: exifData.pointee.ifd.2
      case .gps: exifData.pointee.ifd.3
      }
    guard let content, let found = exif_content_get_entry(content, ExifTag(rawValue: UInt32(tag))) else {
      return nil
    }
    let entry = found.pointee
    return entry.data == nil ? nil : entry
  }

  /// The bytes of an ASCII entry up to its component count, when its size holds them.
  func ascii(_ tag: UInt16, in directory: ExifDirectory) -> [UInt8]? {
    guard let entry = entry(tag, in: directory), entry.format == EXIF_FORMAT_ASCII, entry.components >= 1,
      entry.components <= UInt(entry.size), let data = entry.data
    else { return nil }
    return Array(UnsafeBufferPointer(start: data, count: Int(entry.components)))
  }

  /// The first value of a BYTE entry.
  func byte(_ tag: UInt16, in directory: ExifDirectory) -> UInt8? {
    guard let entry = entry(tag, in: directory), entry.format == EXIF_FORMAT_BYTE, entry.components >= 1,
      entry.size >= 1, let data = entry.data
    else { return nil }
    return data.pointee
  }

  /// The values of a RATIONAL entry with a component count in `counts`, or nil when any denominator is zero.
  func rationals(_ tag: UInt16, in directory: ExifDirectory, counts: ClosedRange<UInt>) -> [Double]? {
    guard let entry = entry(tag, in: directory), entry.format == EXIF_FORMAT_RATIONAL,
      counts.contains(entry.components), let data = entry.data
    else { return nil }
    let size = Int(exif_format_get_size(EXIF_FORMAT_RATIONAL))
    let count = Int(entry.components)
    guard size == 8, Int(entry.size) >= count * size else { return nil }
    var values: [Double] = []
    for index in 0..<count {
      let rational = exif_get_rational(data + index * size, order)
      guard rational.denominator != 0 else { return nil }
      values.append(Double(rational.numerator) / Double(rational.denominator))
    }
    return values
  }

  /// A GPS latitude or longitude in signed degrees (negative in the second hemisphere), or nil when the reference
  /// names neither hemisphere or a part is missing or out of range (minutes or seconds ≥ 60, more than `limit`).
  func coordinate(
    _ tag: UInt16, ref refTag: UInt16, hemispheres: (positive: String, negative: String), limit: Double
  ) -> Double? {
    guard let refBytes = ascii(refTag, in: .gps), let first = refBytes.first,
      let parts = rationals(tag, in: .gps, counts: 1...3)
    else { return nil }
    let ref = Character(Unicode.Scalar(first)).uppercased()
    guard ref == hemispheres.positive || ref == hemispheres.negative else { return nil }
    let degrees = parts[0]
    let minutes = parts.count > 1 ? parts[1] : 0
    let seconds = parts.count > 2 ? parts[2] : 0
    guard degrees <= limit, minutes < 60, seconds < 60 else { return nil }
    let value = degrees + minutes / 60 + seconds / 3600
    guard value <= limit else { return nil }
    return rounded(ref == hemispheres.negative ? -value : value, places: 7)
  }

  /// The most plausible distance from sea level, in metres, in either direction (deepest trench to the edge of
  /// space); beyond it the value is taken to be a writer's error, such as a negative number stored unsigned.
  private static let altitudeLimits = (below: 11_000.0, above: 100_000.0)

  /// The GPS altitude in metres (negative below sea level; a missing reference means above), or nil when it is
  /// missing, malformed or implausible.
  func altitude() -> Double? {
    guard let parts = rationals(TagNumber.gpsAltitude, in: .gps, counts: 1...1) else { return nil }
    let below: Bool
    if entry(TagNumber.gpsAltitudeRef, in: .gps) == nil {
      below = false
    } else {
      switch byte(TagNumber.gpsAltitudeRef, in: .gps) {
      case 0: below = false
      case 1: below = true
      default: return nil
      }
    }
    let metres = parts[0]
    guard metres <= (below ? Self.altitudeLimits.below : Self.altitudeLimits.above) else { return nil }
    return rounded(below ? -metres : metres, places: 1)
  }

  /// `value` rounded to `places` decimal places, never negative zero.
  private func rounded(_ value: Double, places: Int) -> Double {
    var scale = 1.0
    for _ in 0..<places { scale *= 10 }
    let result = (value * scale).rounded() / scale
    return result == 0 ? 0 : result
  }
}
