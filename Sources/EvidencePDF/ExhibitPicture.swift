internal import CPangoCairo
import Foundation

/// A photo exhibit that can be shown as a thumbnail: JPEG (embedded in the PDF byte for byte) or PNG.
struct ExhibitPicture {
  enum Kind { case jpeg, png }

  let kind: Kind
  let url: URL
  /// The stored size, before the orientation is applied.
  let pixelWidth: Int
  let pixelHeight: Int
  /// The Exif orientation (1…8; 1 is upright), from a JPEG's APP1 segment.
  var orientation = 1

  /// The size as shown: width and height swap for the orientations that turn the picture a quarter.
  var shownWidth: Int { orientation >= 5 ? pixelHeight : pixelWidth }
  var shownHeight: Int { orientation >= 5 ? pixelWidth : pixelHeight }

  /// Pictures larger than this are listed but not drawn: a PNG would be decoded whole into memory.
  static let maximumPixels = 60_000_000

  /// The picture at `url` if its first bytes say JPEG or PNG and give a sensible size; nil for anything else.
  /// Reads only the headers, so measuring the layout costs no decoding.
  static func probe(_ url: URL) -> ExhibitPicture? {
    guard let handle = try? FileHandle(forReadingFrom: url) else { return nil }
    defer { try? handle.close() }
    guard let start = try? handle.read(upToCount: 24), start.count >= 4 else { return nil }
    let bytes = [UInt8](start)
    var size: (Int, Int)?
    var kind = Kind.png
    var orientation = 1
    if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), bytes.count >= 24,
      Array(bytes[12..<16]) == Array("IHDR".utf8)
    {
      size = (bigEndian(bytes[16..<20]), bigEndian(bytes[20..<24]))
    } else if bytes.starts(with: [0xFF, 0xD8, 0xFF]) {
      kind = .jpeg
      (size, orientation) = jpegSize(handle)
    }
    guard let (width, height) = size, width > 0, height > 0, width <= 65_535, height <= 65_535,
      width * height <= maximumPixels
    else { return nil }
    return ExhibitPicture(
      kind: kind, url: url, pixelWidth: width, pixelHeight: height,
      orientation: (1...8).contains(orientation) ? orientation : 1)
  }

  /// A cairo image surface for drawing, or nil if the file cannot be read now.
  ///
  /// cairo cannot decode JPEG. It does not need to for PDF: a surface of the JPEG's size with the file's bytes
  /// attached as CAIRO_MIME_TYPE_JPEG is written into the PDF as the JPEG itself (DCTDecode), and its pixels are
  /// never read. Its pixel memory is calloc'd and never touched, so it costs no resident memory.
  func surface() -> OpaquePointer? {
    switch kind {
    case .png:
      guard let surface = cairo_image_surface_create_from_png(url.path) else { return nil }
      guard cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS else {
        cairo_surface_destroy(surface)
        return nil
      }
      return surface
    case .jpeg:
      guard let data = try? Data(contentsOf: url), !data.isEmpty,
        let surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(pixelWidth), Int32(pixelHeight))
      else { return nil }
      guard cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS, let copy = malloc(data.count) else {
        cairo_surface_destroy(surface)
        return nil
      }
      data.withUnsafeBytes { bytes in
        if let base = bytes.baseAddress { copy.copyMemory(from: base, byteCount: bytes.count) }
      }
      // cairo owns the copy from here and frees it with the surface.
      let status = cairo_surface_set_mime_data(
        surface, "image/jpeg", copy.assumingMemoryBound(to: UInt8.self), UInt(data.count), { free($0) }, copy)
      guard status == CAIRO_STATUS_SUCCESS else {
        free(copy)
        cairo_surface_destroy(surface)
        return nil
      }
      return surface
    }
  }

  private static func bigEndian(_ bytes: ArraySlice<UInt8>) -> Int {
    bytes.reduce(0) { $0 << 8 | Int($1) }
  }

  /// The size in a JPEG's start-of-frame segment, found by walking the segments from the start of the file, and
  /// the Exif orientation if an APP1 segment before it gives one.
  private static func jpegSize(_ handle: FileHandle) -> ((Int, Int)?, Int) {
    var offset: UInt64 = 2
    var orientation = 1
    for _ in 0..<512 {
      guard (try? handle.seek(toOffset: offset)) != nil, let head = try? handle.read(upToCount: 4), head.count == 4
      else { return (nil, orientation) }
      let bytes = [UInt8](head)
      guard bytes[0] == 0xFF else { return (nil, orientation) }
      let marker = bytes[1]
      if marker == 0xFF {  // fill byte
        offset += 1
        continue
      }
      if marker == 0xD8 || marker == 0x01 || (0xD0...0xD7).contains(marker) {  // no length
        offset += 2
        continue
      }
      // End of image, or the scan before any frame.
      if marker == 0xD9 || marker == 0xDA { return (nil, orientation) }
      let length = Int(bytes[2]) << 8 | Int(bytes[3])
      guard length >= 2 else { return (nil, orientation) }
      // SOF0…SOF15 except DHT (C4), JPG (C8) and DAC (CC): precision, height, width.
      if (0xC0...0xCF).contains(marker), marker != 0xC4, marker != 0xC8, marker != 0xCC {
        guard let frame = try? handle.read(upToCount: 5), frame.count == 5 else { return (nil, orientation) }
        let values = [UInt8](frame)
        return ((Int(values[3]) << 8 | Int(values[4]), Int(values[1]) << 8 | Int(values[2])), orientation)
      }
      if marker == 0xE1, let segment = try? handle.read(upToCount: length - 2) {
        orientation = exifOrientation([UInt8](segment)) ?? orientation
      }
      offset += 2 + UInt64(length)
    }
    return (nil, orientation)
  }

  /// Tag 0x0112 of IFD0 in an APP1 "Exif" segment's TIFF structure, read with bounds checks only.
  static func exifOrientation(_ segment: [UInt8]) -> Int? {
    guard segment.count > 14, segment.starts(with: Array("Exif".utf8) + [0, 0]) else { return nil }
    let tiff = Array(segment[6...])
    let bigEndian: Bool
    switch (tiff[0], tiff[1]) {
    case (0x4D, 0x4D): bigEndian = true
    case (0x49, 0x49): bigEndian = false
    default: return nil
    }
    func number(_ at: Int, _ count: Int) -> Int? {
      guard at >= 0, at + count <= tiff.count else { return nil }
      let bytes = tiff[at..<(at + count)]
      return (bigEndian ? Array(bytes) : bytes.reversed()).reduce(0) { $0 << 8 | Int($1) }
    }
    guard number(2, 2) == 42, let ifd = number(4, 4), let entries = number(ifd, 2) else { return nil }
    for entry in 0..<min(entries, 512) {
      let at = ifd + 2 + entry * 12
      guard let tag = number(at, 2) else { return nil }
      // Type SHORT (3), one value, stored in the first two bytes of the value field.
      if tag == 0x0112, number(at + 2, 2) == 3 { return number(at + 8, 2) }
    }
    return nil
  }
}
