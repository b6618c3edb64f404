internal import CPangoCairo
import Foundation

/// A photo exhibit that can be shown as a thumbnail: JPEG (embedded in the PDF byte for byte) or PNG.
struct ExhibitPicture {
  enum Kind { case jpeg, png }

  let kind: Kind
  let url: URL
  let pixelWidth: Int
  let pixelHeight: Int

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
    if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), bytes.count >= 24,
      Array(bytes[12..<16]) == Array("IHDR".utf8)
    {
      size = (bigEndian(bytes[16..<20]), bigEndian(bytes[20..<24]))
    } else if bytes.starts(with: [0xFF, 0xD8, 0xFF]) {
      kind = .jpeg
      size = jpegSize(handle)
    }
    guard let (width, height) = size, width > 0, height > 0, width <= 65_535, height <= 65_535,
      width * height <= maximumPixels
    else { return nil }
    return ExhibitPicture(kind: kind, url: url, pixelWidth: width, pixelHeight: height)
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

  /// The size in a JPEG's start-of-frame segment, found by walking the segments from the start of the file.
  private static func jpegSize(_ handle: FileHandle) -> (Int, Int)? {
    var offset: UInt64 = 2
    for _ in 0..<512 {
      guard (try? handle.seek(toOffset: offset)) != nil, let head = try? handle.read(upToCount: 4), head.count == 4
      else { return nil }
      let bytes = [UInt8](head)
      guard bytes[0] == 0xFF else { return nil }
      let marker = bytes[1]
      if marker == 0xFF {  // fill byte
        offset += 1
        continue
      }
      if marker == 0xD8 || marker == 0x01 || (0xD0...0xD7).contains(marker) {  // no length
        offset += 2
        continue
      }
      if marker == 0xD9 || marker == 0xDA { return nil }  // end of image, or the scan before any frame
      let length = Int(bytes[2]) << 8 | Int(bytes[3])
      guard length >= 2 else { return nil }
      // SOF0…SOF15 except DHT (C4), JPG (C8) and DAC (CC): precision, height, width.
      if (0xC0...0xCF).contains(marker), marker != 0xC4, marker != 0xC8, marker != 0xCC {
        guard let frame = try? handle.read(upToCount: 5), frame.count == 5 else { return nil }
        let values = [UInt8](frame)
        return (Int(values[3]) << 8 | Int(values[4]), Int(values[1]) << 8 | Int(values[2]))
      }
      offset += 2 + UInt64(length)
    }
    return nil
  }
}
