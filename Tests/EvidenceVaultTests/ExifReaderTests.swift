import EvidenceVault
import Foundation
import Testing

/// A photo taken in Stockholm with every field the reader knows.
private func stockholm(bigEndian: Bool = false) -> (bytes: [UInt8], layout: JPEGFixture.Layout) {
  JPEGFixture.build(
    make: "Apple", model: "iPhone 15 Pro", dateTimeOriginal: "2026:11:28 22:30:15", offset: "+01:00",
    latitude: 59.3293, longitude: 18.0686, altitude: 12.3, bigEndian: bigEndian)
}

/// The metadata of the Stockholm photo.
private let stockholmMetadata = CaptureMetadata(
  takenAt: "2026-11-28T22:30:15", takenAtOffset: "+01:00", latitude: 59.3293, longitude: 18.0686, altitude: 12.3,
  make: "Apple", model: "iPhone 15 Pro")

/// Checks that every field that is set is within its documented range and form.
private func expectSane(_ metadata: CaptureMetadata?, sourceLocation: SourceLocation = #_sourceLocation) {
  guard let metadata else { return }
  #expect(!metadata.isEmpty, sourceLocation: sourceLocation)
  if let latitude = metadata.latitude { #expect(abs(latitude) <= 90, sourceLocation: sourceLocation) }
  if let longitude = metadata.longitude { #expect(abs(longitude) <= 180, sourceLocation: sourceLocation) }
  if let altitude = metadata.altitude { #expect(altitude.isFinite, sourceLocation: sourceLocation) }
  if let takenAt = metadata.takenAt { #expect(takenAt.utf8.count == 19, sourceLocation: sourceLocation) }
  if let offset = metadata.takenAtOffset { #expect(offset.utf8.count == 6, sourceLocation: sourceLocation) }
  for name in [metadata.make, metadata.model].compactMap({ $0 }) {
    #expect(!name.isEmpty && name.unicodeScalars.count <= 64, sourceLocation: sourceLocation)
    #expect(
      name.unicodeScalars.allSatisfy { $0.properties.generalCategory != .control && $0.value != 0x202E },
      sourceLocation: sourceLocation)
  }
}

struct ExifReaderTests {
  @Test(arguments: [false, true])
  func aStockholmPhotoReadsEveryFieldInEitherByteOrder(bigEndian: Bool) {
    let photo = stockholm(bigEndian: bigEndian)
    #expect(ExifReader.read(jpegPrefix: photo.bytes) == stockholmMetadata)
  }

  @Test(arguments: [false, true])
  func southernAndWesternPositionsAreNegative(bigEndian: Bool) {
    let photo = JPEGFixture.make(latitude: -33.8688, longitude: -70.6693, bigEndian: bigEndian)
    #expect(ExifReader.read(jpegPrefix: photo) == CaptureMetadata(latitude: -33.8688, longitude: -70.6693))
  }

  @Test(arguments: [false, true])
  func anAltitudeBelowSeaLevelIsNegative(bigEndian: Bool) {
    let photo = JPEGFixture.make(latitude: 31.5, longitude: 35.5, altitude: -430.47, bigEndian: bigEndian)
    let metadata = ExifReader.read(jpegPrefix: photo)
    #expect(metadata?.altitude == -430.5)
    #expect(metadata?.latitude == 31.5)
    #expect(metadata?.longitude == 35.5)
  }

  @Test func aPhotoWithoutGPSHasNoPosition() {
    let photo = JPEGFixture.make(make: "Canon", model: "EOS R6", dateTimeOriginal: "2025:01:02 03:04:05")
    #expect(
      ExifReader.read(jpegPrefix: photo)
        == CaptureMetadata(takenAt: "2025-01-02T03:04:05", make: "Canon", model: "EOS R6"))
  }

  @Test func aPhotoWithoutAnOffsetHasNoOffset() {
    let photo = JPEGFixture.make(dateTimeOriginal: "2026:11:28 22:30:15", latitude: 59.3293, longitude: 18.0686)
    let metadata = ExifReader.read(jpegPrefix: photo)
    #expect(metadata == CaptureMetadata(takenAt: "2026-11-28T22:30:15", latitude: 59.3293, longitude: 18.0686))
    #expect(metadata?.takenAtOffset == nil)
  }

  @Test func positionsAreRoundedToSevenDecimalPlaces() {
    let photo = JPEGFixture.make(latitude: 59.329_312_345, longitude: -0.000_000_04, altitude: 0.04)
    let metadata = ExifReader.read(jpegPrefix: photo)
    #expect(metadata?.latitude == 59.3293123)
    #expect(metadata?.longitude == 0)
    #expect(metadata?.longitude?.sign == .plus)
    #expect(metadata?.altitude == 0)
  }

  @Test func dateTimeIsUsedWhenDateTimeOriginalIsMissingOrUnusable() {
    let missing = JPEGFixture.build(dateTime: "2024:02:29 23:59:59").bytes
    #expect(ExifReader.read(jpegPrefix: missing)?.takenAt == "2024-02-29T23:59:59")
    let unusable = JPEGFixture.build(dateTime: "2024:02:29 23:59:59", dateTimeOriginal: "2024:02:30 10:00:00").bytes
    #expect(ExifReader.read(jpegPrefix: unusable)?.takenAt == "2024-02-29T23:59:59")
    let both = JPEGFixture.build(dateTime: "2024:03:01 08:00:00", dateTimeOriginal: "2024:02:29 07:00:00").bytes
    #expect(ExifReader.read(jpegPrefix: both)?.takenAt == "2024-02-29T07:00:00")
  }

  @Test(arguments: [
    "2026:13:45 25:61:00", "0000:00:00 00:00:00", "2026:11:28 24:00:00", "2026:11:28 22:60:00",
    "2026:11:28 22:30:60", "2025:02:29 12:00:00", "2026:04:31 12:00:00", "1799:12:31 23:59:59", "2026:11:28 22:30",
    "2026:11:28T22:30:15", "2026:11-28 22:30:15", "    :  :     :  :  ", "2026:11:28 22:30:15.123",
    "２０２６:11:28 22:30:15", "+026:11:28 22:30:15", "",
  ])
  func impossibleDatesAreDroppedButTheRestIsKept(date: String) {
    let photo = JPEGFixture.make(make: "Apple", dateTimeOriginal: date, offset: "+01:00")
    #expect(ExifReader.read(jpegPrefix: photo) == CaptureMetadata(takenAtOffset: "+01:00", make: "Apple"))
  }

  @Test func datesWrittenWithHyphensOrTrailingSpacesAreRead() {
    let hyphens = JPEGFixture.make(dateTimeOriginal: "2026-11-28 22:30:15")
    #expect(ExifReader.read(jpegPrefix: hyphens)?.takenAt == "2026-11-28T22:30:15")
    let spaces = JPEGFixture.make(dateTimeOriginal: "2026:11:28 22:30:15  ")
    #expect(ExifReader.read(jpegPrefix: spaces)?.takenAt == "2026-11-28T22:30:15")
  }

  @Test(arguments: ["+15:00", "-13:00", "01:00", "+1:00", "+01:60", "+0100", "   :  ", "Z", "+01:00:00", "+٠١:٠٠"])
  func impossibleOffsetsAreDropped(offset: String) {
    let photo = JPEGFixture.make(dateTimeOriginal: "2026:11:28 22:30:15", offset: offset)
    #expect(ExifReader.read(jpegPrefix: photo) == CaptureMetadata(takenAt: "2026-11-28T22:30:15"))
  }

  @Test(arguments: ["+14:00", "-12:00", "+05:30", "-00:00", "+00:00"])
  func offsetsWithinTheWorldsZonesAreKept(offset: String) {
    let photo = JPEGFixture.make(offset: offset)
    #expect(ExifReader.read(jpegPrefix: photo)?.takenAtOffset == offset)
  }

  @Test func outOfRangeCoordinatesAreDroppedOneByOne() {
    let northOfThePole = JPEGFixture.make(make: "Apple", latitude: 95, longitude: 18.0686)
    #expect(ExifReader.read(jpegPrefix: northOfThePole) == CaptureMetadata(longitude: 18.0686, make: "Apple"))
    let pastTheDateLine = JPEGFixture.make(latitude: -33.8688, longitude: -181)
    #expect(ExifReader.read(jpegPrefix: pastTheDateLine) == CaptureMetadata(latitude: -33.8688))
    let justInside = JPEGFixture.make(latitude: -90, longitude: 180)
    #expect(ExifReader.read(jpegPrefix: justInside) == CaptureMetadata(latitude: -90, longitude: 180))
  }

  @Test(arguments: [false, true])
  func minutesOrSecondsOfSixtyOrMoreDropTheCoordinate(bigEndian: Bool) {
    var photo = stockholm(bigEndian: bigEndian)
    let latitude = photo.layout.values[0x0002, default: 0]
    JPEGFixture.putLong(60, at: latitude + 8, of: &photo.bytes, bigEndian: bigEndian)  // 60/1 minutes
    let longitude = photo.layout.values[0x0004, default: 0]
    JPEGFixture.putLong(60_000_000, at: longitude + 16, of: &photo.bytes, bigEndian: bigEndian)  // 60 seconds
    var expected = stockholmMetadata
    expected.latitude = nil
    expected.longitude = nil
    #expect(ExifReader.read(jpegPrefix: photo.bytes) == expected)
  }

  @Test(arguments: [false, true])
  func aZeroDenominatorDropsOnlyThatField(bigEndian: Bool) {
    var photo = stockholm(bigEndian: bigEndian)
    let latitude = photo.layout.values[0x0002, default: 0]
    JPEGFixture.putLong(0, at: latitude + 20, of: &photo.bytes, bigEndian: bigEndian)  // the seconds' denominator
    let altitude = photo.layout.values[0x0006, default: 0]
    JPEGFixture.putLong(0, at: altitude + 4, of: &photo.bytes, bigEndian: bigEndian)
    var expected = stockholmMetadata
    expected.latitude = nil
    expected.altitude = nil
    #expect(ExifReader.read(jpegPrefix: photo.bytes) == expected)
  }

  @Test func implausibleAltitudesAndReferencesAreDropped() {
    var huge = stockholm()
    JPEGFixture.putLong(UInt32.max, at: huge.layout.values[0x0006, default: 0], of: &huge.bytes)  // -1 stored unsigned
    #expect(ExifReader.read(jpegPrefix: huge.bytes)?.altitude == nil)
    #expect(ExifReader.read(jpegPrefix: huge.bytes)?.latitude == 59.3293)

    var badReference = stockholm()
    badReference.bytes[badReference.layout.values[0x0005, default: 0]] = 2
    #expect(ExifReader.read(jpegPrefix: badReference.bytes)?.altitude == nil)

    var badLatitudeReference = stockholm()
    badLatitudeReference.bytes[badLatitudeReference.layout.values[0x0001, default: 0]] = UInt8(ascii: "X")
    let metadata = ExifReader.read(jpegPrefix: badLatitudeReference.bytes)
    #expect(metadata?.latitude == nil)
    #expect(metadata?.longitude == 18.0686)
  }

  @Test func entriesOfTheWrongFormatOrCountAreDropped() {
    var photo = stockholm()
    JPEGFixture.putShort(10, at: photo.layout.entries[0x0002, default: 0] + 2, of: &photo.bytes)  // SRATIONAL
    JPEGFixture.putShort(7, at: photo.layout.entries[0x010F, default: 0] + 2, of: &photo.bytes)  // UNDEFINED Make
    JPEGFixture.putLong(2, at: photo.layout.entries[0x0006, default: 0] + 4, of: &photo.bytes)  // 2 altitudes
    JPEGFixture.putShort(3, at: photo.layout.entries[0x0005, default: 0] + 2, of: &photo.bytes)  // SHORT reference
    var expected = stockholmMetadata
    expected.latitude = nil
    expected.make = nil
    expected.altitude = nil
    #expect(ExifReader.read(jpegPrefix: photo.bytes) == expected)
  }

  @Test(arguments: [false, true])
  func anEntryCountOf65535DoesNotCrashAndTheRealEntriesStillRead(bigEndian: Bool) {
    var photo = stockholm(bigEndian: bigEndian)
    JPEGFixture.putShort(0xFFFF, at: photo.layout.ifd0, of: &photo.bytes, bigEndian: bigEndian)
    let metadata = ExifReader.read(jpegPrefix: photo.bytes)
    #expect(metadata?.make == "Apple")
    #expect(metadata?.model == "iPhone 15 Pro")
    expectSane(metadata)

    var gps = stockholm(bigEndian: bigEndian)
    JPEGFixture.putShort(0xFFFF, at: gps.layout.gpsIFD ?? 0, of: &gps.bytes, bigEndian: bigEndian)
    let gpsMetadata = ExifReader.read(jpegPrefix: gps.bytes)
    #expect(gpsMetadata?.takenAt == "2026-11-28T22:30:15")
    #expect(gpsMetadata?.latitude == 59.3293)
    expectSane(gpsMetadata)
  }

  @Test(arguments: [false, true])
  func offsetsPointingPastTheEndDropOnlyWhatTheyPointTo(bigEndian: Bool) {
    var make = stockholm(bigEndian: bigEndian)
    let makeOffset = make.layout.entries[0x010F, default: 0] + 8  // "Apple\0" is too long to sit in its entry.
    JPEGFixture.putLong(0xFFFF_FFF0, at: makeOffset, of: &make.bytes, bigEndian: bigEndian)
    var expected = stockholmMetadata
    expected.make = nil
    #expect(ExifReader.read(jpegPrefix: make.bytes) == expected)

    var exif = stockholm(bigEndian: bigEndian)
    JPEGFixture.putLong(0x7FFF_FFFF, at: exif.layout.values[0x8769, default: 0], of: &exif.bytes, bigEndian: bigEndian)
    let exifMetadata = ExifReader.read(jpegPrefix: exif.bytes)
    #expect(exifMetadata?.takenAt == nil)
    #expect(exifMetadata?.takenAtOffset == nil)
    #expect(exifMetadata?.make == "Apple")
    #expect(exifMetadata?.model == "iPhone 15 Pro")
    // libexif 0.6.24 stops reading IFD0 at a sub-IFD pointer past the end, so the GPS pointer after it may be lost.
    expectSane(exifMetadata)

    var gps = stockholm(bigEndian: bigEndian)
    JPEGFixture.putLong(
      UInt32(gps.bytes.count), at: gps.layout.values[0x8825, default: 0], of: &gps.bytes,
      bigEndian: bigEndian)
    var gpsExpected = stockholmMetadata
    gpsExpected.latitude = nil
    gpsExpected.longitude = nil
    gpsExpected.altitude = nil
    #expect(ExifReader.read(jpegPrefix: gps.bytes) == gpsExpected)

    var ifd0 = stockholm(bigEndian: bigEndian)
    JPEGFixture.putLong(0xFFFF_FF00, at: ifd0.layout.tiffStart + 4, of: &ifd0.bytes, bigEndian: bigEndian)
    #expect(ExifReader.read(jpegPrefix: ifd0.bytes) == nil)
  }

  @Test func aSegmentLengthPastTheEndIsCutToWhatIsThere() {
    var photo = stockholm()
    photo.bytes[photo.layout.app1LengthOffset] = 0xFF
    photo.bytes[photo.layout.app1LengthOffset + 1] = 0xFF
    #expect(ExifReader.read(jpegPrefix: photo.bytes) == stockholmMetadata)
  }

  @Test func aTruncatedAPP1ReadsWhatIsThereAndNeverCrashes() {
    let photo = stockholm()
    let beforeExifIFD = Array(photo.bytes.prefix(photo.layout.exifIFD ?? 0))
    #expect(ExifReader.read(jpegPrefix: beforeExifIFD) == CaptureMetadata(make: "Apple", model: "iPhone 15 Pro"))
    for length in 0...photo.bytes.count {
      expectSane(ExifReader.read(jpegPrefix: Array(photo.bytes.prefix(length))))
    }
    #expect(ExifReader.read(jpegPrefix: Array(photo.bytes.prefix(photo.layout.tiffStart + 7))) == nil)
  }

  @Test func anythingButAJPEGGivesNil() {
    let photo = stockholm()
    let exifBlock = Array(photo.bytes[6..<(photo.bytes.count - 2)])  // "Exif\0\0" and the TIFF structure
    #expect(ExifReader.read(jpegPrefix: []) == nil)
    #expect(ExifReader.read(jpegPrefix: [0xFF]) == nil)
    #expect(ExifReader.read(jpegPrefix: [0xFF, 0xD8, 0xFF]) == nil)
    #expect(ExifReader.read(jpegPrefix: exifBlock) == nil)
    #expect(ExifReader.read(jpegPrefix: Array(exifBlock.dropFirst(6))) == nil)  // a bare TIFF
    #expect(ExifReader.read(jpegPrefix: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + exifBlock) == nil)
    #expect(ExifReader.read(jpegPrefix: Array("Exif is not here".utf8)) == nil)
  }

  @Test func aJPEGWithoutEXIFGivesNil() {
    let jfif: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10] + Array("JFIF".utf8) + [0, 1, 1, 0, 0, 1, 0, 1, 0, 0]
    #expect(ExifReader.read(jpegPrefix: jfif + [0xFF, 0xD9]) == nil)
    #expect(ExifReader.read(jpegPrefix: jfif + [0xFF, 0xDA, 0x00, 0x02] + stockholm().bytes.dropFirst(2)) == nil)
    #expect(ExifReader.read(jpegPrefix: JPEGFixture.make()) == nil)
    #expect(ExifReader.read(jpegPrefix: JPEGFixture.make(make: "\u{1B}\u{7}  ")) == nil)
  }

  @Test func exifAfterOtherSegmentsIsFound() {
    let photo = stockholm().bytes
    let jfif: [UInt8] = [0xFF, 0xE0, 0x00, 0x10] + Array("JFIF".utf8) + [0, 1, 1, 0, 0, 1, 0, 1, 0, 0]
    let xmpPayload = Array("http://ns.adobe.com/xap/1.0/\0<x:xmpmeta/>".utf8)
    let xmp: [UInt8] = [0xFF, 0xE1, 0x00, UInt8(xmpPayload.count + 2)] + xmpPayload
    let bytes = [0xFF, 0xD8] + jfif + [0xFF, 0xFF] + xmp + photo.dropFirst(2)  // with fill bytes, too
    #expect(ExifReader.read(jpegPrefix: bytes) == stockholmMetadata)
  }

  @Test func hostileNamesBecomePrintableAndShort() {
    let escape = JPEGFixture.make(make: "Evil\u{1B}[31mCam\u{7}", model: "  \u{202E}gpj.exe\t Model X  ")
    let metadata = ExifReader.read(jpegPrefix: escape)
    #expect(metadata?.make == "Evil[31mCam")
    #expect(metadata?.model == "gpj.exe Model X")

    let long = JPEGFixture.make(make: String(repeating: "A", count: 200), model: String(repeating: "Ö", count: 70))
    let longMetadata = ExifReader.read(jpegPrefix: long)
    #expect(longMetadata?.make == String(repeating: "A", count: 64))
    #expect(longMetadata?.model == String(repeating: "Ö", count: 64))

    let combining = JPEGFixture.make(make: "e" + String(repeating: "\u{301}", count: 500) + "xyz")
    expectSane(ExifReader.read(jpegPrefix: combining))
    #expect(ExifReader.read(jpegPrefix: combining) == nil)

    var latin1 = JPEGFixture.build(make: "Sony Ericsson", model: "K800i")
    latin1.bytes[latin1.layout.values[0x010F, default: 0] + 5] = 0xC9  // "Sony \u{C9}ricsson" in ISO 8859-1
    #expect(ExifReader.read(jpegPrefix: latin1.bytes)?.make == "Sony \u{C9}ricsson")

    let emoji = JPEGFixture.make(make: "Phone 👨‍👩‍👧")
    #expect(ExifReader.read(jpegPrefix: emoji)?.make == "Phone 👨‍👩‍👧")
  }

  @Test func randomlyCorruptedPhotosNeverCrashOrGiveOutOfRangeValues() {
    var generator = SeededGenerator(state: 112)
    let originals = [stockholm().bytes, stockholm(bigEndian: true).bytes]
    for round in 0..<4000 {
      var bytes = originals[round % 2]
      for _ in 0..<Int.random(in: 1...8, using: &generator) {
        let index = Int.random(in: 2..<bytes.count, using: &generator)
        bytes[index] =
          round % 3 == 0
          ? [0x00, 0xFF, 0x7F, 0x80][Int.random(in: 0...3, using: &generator)]
          : UInt8.random(in: 0...255, using: &generator)
      }
      if round % 5 == 0 { bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &generator))) }
      expectSane(ExifReader.read(jpegPrefix: bytes))
    }
  }

  @Test func randomBytesAfterAJPEGSignatureNeverCrash() {
    var generator = SeededGenerator(state: 7)
    for _ in 0..<2000 {
      let count = Int.random(in: 0...300, using: &generator)
      let tail = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
      let app1: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE1, UInt8(count >> 8), UInt8(count & 0xFF)] + Array("Exif\0\0".utf8)
      expectSane(ExifReader.read(jpegPrefix: app1 + tail))
      expectSane(ExifReader.read(jpegPrefix: app1 + (Bool.random(using: &generator) ? "II" : "MM").utf8 + tail))
    }
  }

  @Test func theFixtureIsDetectedAsAJPEG() {
    #expect(MediaType.detect(stockholm().bytes) == "image/jpeg")
    #expect(MediaType.detect(JPEGFixture.make(make: "Apple", bigEndian: true)) == "image/jpeg")
    #expect(ExifReader.prefixByteCount == 128 * 1024)
  }

  @Test func metadataRoundTripsThroughJSONAndKnowsWhenItIsEmpty() throws {
    let data = try JSONEncoder().encode(stockholmMetadata)
    #expect(try JSONDecoder().decode(CaptureMetadata.self, from: data) == stockholmMetadata)
    #expect(CaptureMetadata().isEmpty)
    #expect(!CaptureMetadata(model: "X").isEmpty)
    #expect(!CaptureMetadata(altitude: 0).isEmpty)
  }
}
