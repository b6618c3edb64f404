import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The bytes of an inbox item: something written without the passphrase (`evidence note`), sealed to the vault's
/// inbox public key, waiting in `inbox/` to be taken into the journal at the next unlock. See docs/FORMAT.md,
/// "Inbox items".
///
/// ```
/// kind 1 (quick note): "EJIN" ‖ 0x01 ‖ crypto_box_seal(note JSON)
/// kind 2 (draft):      "EJIN" ‖ 0x02 ‖ crypto_box_seal(draft JSON)
/// kind 3 (failed unlock): "EJIN" ‖ 0x03 ‖ crypto_box_seal(attempt JSON)
/// kind 4 (file):       "EJIN" ‖ 0x04 ‖ u32be(n) ‖ crypto_box_seal(32-byte stream key ‖ file JSON) (n bytes)
///                      ‖ secretstream header (24) ‖ sealed 64 KiB chunks, TAG_FINAL on the last, as blobs are
/// ```
enum InboxItem {
  static let magic: [UInt8] = Array("EJIN".utf8)
  static let fileExtension = ".item"
  /// Magic and kind.
  static let prefixByteCount = 5

  /// What an item holds.
  enum Kind: UInt8 {
    case quickNote = 1
    case draft = 2
    case failedUnlock = 3
    case file = 4
  }

  /// Caps, checked before any work on what an item says.
  /// The longest text of a quick note, in UTF-8 bytes: even fully escaped it stays within a record's 4 MiB.
  static let maximumTextByteCount = 512 * 1024
  /// The largest kind 1 item file (its sealed JSON holds the text, escaped, and a few short fields).
  static let maximumNoteItemByteCount = 4 << 20
  /// The largest sealed header of a kind 4 item (`n` above): a key, a file name and a few short fields.
  static let maximumFileHeaderByteCount = 4096
  /// The longest file name kept, in UTF-8 bytes.
  static let maximumFileNameByteCount = 255
  /// The most files one note may carry.
  static let maximumFileCount = 1000

  /// The JSON sealed in a kind 1 item (keys sorted, like every JSON the vault writes).
  struct Note: Codable, Equatable {
    /// A random UUID, lowercase; the note's files name it.
    var id: String
    /// When the note was written, RFC 3339 UTC to the second.
    var notedAt: String
    /// What the person wrote, exactly.
    var text: String
    /// The writer's time zone (IANA name), in which the note's time is shown.
    var timeZone: String
    /// How many kind 4 items belong to the note (written before it).
    var files: Int
  }

  /// The JSON sealed, after the stream key, in a kind 4 item.
  struct File: Codable, Equatable {
    /// The `id` of the note the file belongs to.
    var note: String
    /// Its place among the note's files, from 0.
    var position: Int
    /// The file's name (its last path component) when it was noted.
    var name: String
    /// When the note was written, RFC 3339 UTC.
    var notedAt: String
    /// The file's modification time, RFC 3339 UTC.
    var modifiedAt: String
  }

  /// JSON as the vault writes it: sorted keys, no whitespace, `/` not escaped.
  static func encode(_ value: some Encodable) -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    // Strings and integers: encoding cannot fail.
    guard let data = try? encoder.encode(value) else { preconditionFailure("inbox JSON encoding failed") }
    return Array(data)
  }

  /// A new item's name, `<YYYY-MM-DDTHHMMSS.nnnnnnnnnZ>-<16 hex>.item`: the real-time clock to the nanosecond
  /// (UTC, no colons), so that names sort in writing order, and 8 random bytes, so that two never collide.
  static func newName() -> String {
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    let seconds = Date(timeIntervalSince1970: Double(now.tv_sec))
    let stamp = WhenFormatter.rfc3339UTC(seconds).replacingOccurrences(of: ":", with: "").dropLast()  // no "Z"
    let nanoseconds = String(now.tv_nsec)
    let padded = String(repeating: "0", count: max(0, 9 - nanoseconds.count)) + nanoseconds
    return "\(stamp).\(padded)Z-\(Hex.encode(Sodium.randomBytes(8)))\(fileExtension)"
  }

  /// True for a name an item can have (a finished item, not a temporary file of one being written).
  static func isItemName(_ name: String) -> Bool {
    !name.hasPrefix(".") && name.hasSuffix(fileExtension) && !name.contains(DurableFiles.temporaryMarker)
  }
}
