import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The most an export may make the readers hold or produce, checked before the work (or as the bytes come), so a
/// hostile or broken file ends the import with one sentence instead of exhausting memory or disk.
///
/// Every limit is far above what a phone or app writes; the readers take them from `standard`, tests from smaller
/// values.
struct ImportLimits: Sendable {
  /// A zip member may inflate to at most this many times its compressed size (deflate itself reaches about 1,032).
  var inflationRatio: Int64 = 1_000
  /// However small its compressed size, a member may inflate to this much.
  var inflatedFloorByteCount: Int64 = 1 << 20
  /// No member may inflate past this (WhatsApp sends files of up to 2 GB).
  var inflatedMaximumByteCount: Int64 = 4 << 30
  /// A WhatsApp chat text (the .txt, or the chat in the .zip), read whole to infer its date order.
  var chatTextByteCount = 256 << 20
  /// One line of a WhatsApp chat (WhatsApp caps a message at 65,536 characters).
  var chatLineByteCount = 1 << 20
  /// A Telegram result.json, parsed whole.
  var telegramJSONByteCount = 512 << 20
  /// One XML attribute value as written (an SMS body, an address), and all of a tag's values together.
  var xmlValueByteCount = 8 << 20
  /// One tag or attribute name.
  var xmlNameByteCount = 1_024
  /// The decoded bytes of one base64 value (an MMS picture or video).
  var xmlBinaryByteCount = 256 << 20
  /// One e-mail message, with its attachments still encoded.
  var emailMessageByteCount = 256 << 20
  /// One line of a mailbox (a body line of base64 a broken mailer did not wrap can be long).
  var emailLineByteCount = 16 << 20
  /// One e-mail header field, unfolded.
  var emailHeaderByteCount = 1 << 20

  static let standard = ImportLimits()

  /// The most a member of `compressedByteCount` compressed bytes may inflate to.
  func inflatedByteCap(compressedByteCount: UInt64) -> Int64 {
    let compressed = Int64(clamping: compressedByteCount)
    let (scaled, overflow) = compressed.multipliedReportingOverflow(by: inflationRatio)
    return min(inflatedMaximumByteCount, max(inflatedFloorByteCount, overflow ? .max : scaled))
  }

  /// "4 GiB", "256 MiB", "1 KiB", "12 bytes": a limit for an error message.
  static func describe(_ byteCount: Int64) -> String {
    for (shift, unit) in [(30, "GiB"), (20, "MiB"), (10, "KiB")] where byteCount >= Int64(1) << shift {
      let value = Double(byteCount) / Double(Int64(1) << shift)
      return value == value.rounded() ? "\(Int64(value)) \(unit)" : String(format: "%.1f %@", value, unit)
    }
    return "\(byteCount) bytes"
  }

  static func describe(_ byteCount: Int) -> String { describe(Int64(byteCount)) }
}

/// The instants an export may name: from 1970 (no phone or app wrote messages before) to the end of year 9999,
/// which every date the vault writes can hold.
enum SourceTimeRange {
  static let earliest: Int64 = 0
  /// 9999-12-31T23:59:59Z.
  static let latest: Int64 = 253_402_300_799

  /// The instant `seconds` after 1970, or nil outside the range.
  static func instant(seconds: Int64) -> Date? {
    guard (earliest...latest).contains(seconds) else { return nil }
    return Date(timeIntervalSince1970: TimeInterval(seconds))
  }

  /// The instant `milliseconds` after 1970, or nil outside the range.
  static func instant(milliseconds: Int64) -> Date? {
    guard (earliest...latest * 1_000 + 999).contains(milliseconds) else { return nil }
    return Date(timeIntervalSince1970: Double(milliseconds) / 1_000)
  }
}

/// Reads a whole export file into memory, refusing one larger than `limit` (and anything that is not a file).
enum BoundedFile {
  /// The file's bytes.
  /// - Throws: `ImportError` naming the file when it cannot be read, is not a regular file, or is over `limit`.
  static func read(_ url: URL, limit: Int, what: String) throws(ImportError) -> [UInt8] {
    let name = url.lastPathComponent
    let descriptor = open(url.path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
    guard descriptor >= 0 else {
      throw ImportError(file: name, message: "The file cannot be read (\(String(cString: strerror(errno)))).")
    }
    defer { close(descriptor) }
    var info = stat()
    guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
      throw ImportError(file: name, message: "This is not a file (it is a folder, a pipe or a device).")
    }
    guard info.st_size <= limit else {
      throw ImportError(
        file: name, message: "\(what) is larger than \(ImportLimits.describe(limit)), more than this reader takes.")
    }
    var bytes = [UInt8](repeating: 0, count: Int(info.st_size) + 1)
    var filled = 0
    while true {
      if filled == bytes.count {
        // It grew while being read: read on, but never past the limit.
        guard bytes.count <= limit else {
          throw ImportError(
            file: name, message: "\(what) is larger than \(ImportLimits.describe(limit)), more than this reader takes.")
        }
        bytes += [UInt8](repeating: 0, count: min(1 << 20, limit + 1 - bytes.count))
      }
      let count = bytes.withUnsafeMutableBytes { buffer in
        Glibc.read(descriptor, buffer.baseAddress.map { $0 + filled }, buffer.count - filled)
      }
      if count < 0 {
        if errno == EINTR { continue }
        throw ImportError(file: name, message: "The file cannot be read (\(String(cString: strerror(errno)))).")
      }
      if count == 0 { break }
      filled += count
    }
    bytes.removeSubrange(filled...)
    return bytes
  }
}
