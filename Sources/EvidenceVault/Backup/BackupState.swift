import Foundation

/// What a vault keeps about its last backup, in two files.
///
/// `backup.json` (clear text) holds only how far the last backup reached: its record count and journal length. That
/// is all `wipe`, which never asks for the passphrase, needs to tell whether a backup newer than the last record
/// exists, and it says no more than the journal's own length does. `backup.sealed` holds the rest (when, to which
/// folder, and when the person was last reminded that there is none), sealed under a key derived from the master key,
/// so the folder's name never lies in the clear.
struct BackupReach: Codable, Equatable {
  static let fileName = "backup.json"

  var recordCount: UInt64
  var journalByteCount: Int

  /// The reach recorded in `folder`, if there is a readable one.
  static func read(in folder: URL) -> BackupReach? {
    guard let bytes = try? DurableFiles.read(folder.appendingPathComponent(fileName), limit: 4096) else { return nil }
    return try? JSONDecoder().decode(BackupReach.self, from: Data(bytes))
  }

  func write(in folder: URL) throws(VaultError) {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    guard let data = try? encoder.encode(self) else { preconditionFailure("backup reach encoding failed") }
    try DurableFiles.replace(folder.appendingPathComponent(Self.fileName), with: Array(data) + [0x0a])
  }
}

/// `backup.sealed`: the details of the last backup, and of the last reminder, under the backup-state key.
///
/// `nonce (24) ‖ AEAD(JSON)` with additional data `"evidence-journal backup state v1\0" ‖ vault id`.
struct BackupDetails: Codable, Equatable {
  static let fileName = "backup.sealed"
  static let associatedDataTag = Array("evidence-journal backup state v1\0".utf8)

  /// The last backup, if one was made since the keys last changed.
  struct LastBackup: Codable, Equatable {
    var madeAt: Date
    var target: String
    var recordCount: UInt64
    var journalByteCount: Int
  }

  var last: LastBackup?
  /// When the person was last told that there is no backup.
  var remindedAt: Date?

  /// The details in `folder`; empty when there are none or they do not open (written before a change of keys).
  static func read(in folder: URL, vaultId: [UInt8], key: borrowing SecretBytes) -> BackupDetails {
    guard let bytes = try? DurableFiles.read(folder.appendingPathComponent(fileName), limit: 64 << 10),
      bytes.count > AEAD.nonceByteCount
    else { return BackupDetails() }
    let plain = bytes.withUnsafeBytes { all in
      try? AEAD.open(
        UnsafeRawBufferPointer(rebasing: all[AEAD.nonceByteCount...]),
        nonce: UnsafeRawBufferPointer(rebasing: all[..<AEAD.nonceByteCount]),
        associatedData: associatedDataTag + vaultId, key: key)
    }
    guard let plain, let details = try? Self.decoder.decode(BackupDetails.self, from: Data(plain)) else {
      return BackupDetails()
    }
    return details
  }

  func write(in folder: URL, vaultId: [UInt8], key: borrowing SecretBytes) throws(VaultError) {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    encoder.dateEncodingStrategy = .secondsSince1970
    guard let data = try? encoder.encode(self) else { preconditionFailure("backup details encoding failed") }
    let (nonce, ciphertext) = AEAD.seal(Array(data), associatedData: Self.associatedDataTag + vaultId, key: key)
    try DurableFiles.replace(folder.appendingPathComponent(Self.fileName), with: nonce + ciphertext)
  }

  private static var decoder: JSONDecoder {
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .secondsSince1970
    return decoder
  }
}
