import Foundation

/// `manifest.json` of a backup folder: which set is current and exactly what of it belongs to the backup.
///
/// It is replaced whole as the last step of every backup (the commit point): what it names is the backup, and
/// anything else in the folder is the leftover of an interrupted one. It is signed with the vault's Ed25519 key, so a
/// check with the passphrase notices a changed manifest as surely as a changed frame. See docs/FORMAT.md, "Backups",
/// and Schemas/backup-manifest.schema.json.
struct BackupManifest: Codable, Equatable {
  static let fileName = "manifest.json"
  static let formatName = "evidence-journal backup"
  static let currentVersion = 1
  static let maximumFileSize = 64 << 20
  static let signatureTag = Array("evidence-journal backup manifest v1\0".utf8)

  /// A file copied whole into the set (a blob or an inbox item), by its name and length.
  struct CopiedFile: Codable, Equatable {
    var name: String
    var byteCount: Int64
    var sha256: String
  }

  var format: String = formatName
  var version: Int = currentVersion
  var vaultId: String
  /// The current set: the folder `<set>/` beside this file.
  var set: Int
  /// SHA-256 of the set's `vault.json`.
  var headerSHA256: String
  /// How many bytes of the set's `journal.log` belong to the backup; bytes after them are an interrupted update's.
  var journalByteCount: Int
  /// SHA-256 of those bytes.
  var journalSHA256: String
  /// The vault's signed head when the backup was made (what `head.json` held); restore writes it back.
  var head: HeadCheckpoint
  /// Every blob of the set, sorted by name.
  var blobs: [CopiedFile]
  /// Every inbox item of the set, sorted by name.
  var inbox: [CopiedFile]
  /// Hex of the Ed25519 signature over `signatureTag ‖ vault id ‖` the manifest encoded without it.
  var signature: String = ""

  /// The record count of the backup.
  var recordCount: UInt64 { head.sequence }

  /// The bytes the signature covers.
  func signedMessage(vaultId: [UInt8]) -> [UInt8] {
    var unsigned = self
    unsigned.signature = ""
    return Self.signatureTag + vaultId + unsigned.encoded()
  }

  /// Sorted keys, two-space indentation, one final line feed.
  func encoded() -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
    guard let data = try? encoder.encode(self) else { preconditionFailure("manifest encoding failed") }
    return Array(data) + [0x0a]
  }

  /// Signs the manifest with the vault's key.
  mutating func sign(vaultId: [UInt8], signer: borrowing SigningKeyPair) {
    signature = Hex.encode(signer.sign(signedMessage(vaultId: vaultId)))
  }

  /// True when the signature is the vault's over these exact fields.
  func isAuthentic(vaultId: [UInt8], publicKey: [UInt8]) -> Bool {
    guard let signatureBytes = Hex.decode(signature, byteCount: SigningKeyPair.signatureByteCount) else {
      return false
    }
    return SigningKeyPair.isValidSignature(signatureBytes, of: signedMessage(vaultId: vaultId), publicKey: publicKey)
  }

  /// Reads and parses the manifest of the backup folder `folder`; nil when there is none.
  /// - Throws: `backupDamaged` when it is there but cannot be read as a manifest.
  static func read(in folder: URL) throws(VaultError) -> BackupManifest? {
    let url = folder.appendingPathComponent(fileName)
    guard FileManager.default.fileExists(atPath: url.path) else { return nil }
    let bytes = try DurableFiles.read(url, limit: maximumFileSize)
    guard let manifest = try? JSONDecoder().decode(BackupManifest.self, from: Data(bytes)),
      manifest.format == formatName
    else {
      throw VaultError(
        .backupDamaged, "The backup's manifest (\(url.path)) is damaged: it cannot be read.",
        hint: "Make a new backup into another folder; this one cannot be trusted.")
    }
    guard manifest.version == currentVersion else {
      throw VaultError(
        .unsupportedVersion,
        "The backup in \(folder.path) is in format version \(manifest.version), which this program does not know.",
        hint: "Use a newer version of evidence.")
    }
    guard manifest.set >= 1, manifest.journalByteCount >= 0, Hex.decode(manifest.vaultId, byteCount: 16) != nil,
      manifest.blobs.allSatisfy(\.isPlausibleBlob), manifest.inbox.allSatisfy(\.isPlausibleInboxItem)
    else {
      throw VaultError(
        .backupDamaged, "The backup's manifest (\(url.path)) is damaged: a field has the wrong form.",
        hint: "Make a new backup into another folder; this one cannot be trusted.")
    }
    return manifest
  }
}

extension BackupManifest.CopiedFile {
  /// A blob's name is 64 hex digits; nothing in it can lead out of `blobs/`.
  var isPlausibleBlob: Bool { name.count == 64 && Hex.decode(name, byteCount: 32) != nil && byteCount >= 0 }

  /// An inbox item's name is one plain file name.
  var isPlausibleInboxItem: Bool {
    InboxItem.isItemName(name) && !name.contains("/") && name != ".." && byteCount >= 0
  }
}
