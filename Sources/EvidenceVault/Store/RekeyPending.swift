import Foundation

/// `rekey.pending`: what a change of keys (`passwd --rekey`) needs to be finished by the next open, with either
/// passphrase (docs/FORMAT.md, "Changing the keys"; Schemas/rekey-pending.schema.json).
///
/// It holds both headers whole, the head the journal had, and two cross wraps: the new master key under the old
/// passphrase's key-encryption key and the old master key under the new one's. Whichever passphrase is typed
/// unwraps its own header's master key and, through the cross wrap, the other one; the cross wraps' additional
/// data is both headers' own additional data and the head, so no field of the file can be changed undetected.
struct RekeyPending: Codable, Equatable {
  static let fileName = "rekey.pending"
  static let formatName = "evidence-journal rekey"
  static let maximumFileSize = 64 * 1024

  /// Which master key a cross wrap holds; the tag is the first bytes of its additional data.
  enum CrossWrap {
    case newKeyUnderOldPassphrase
    case oldKeyUnderNewPassphrase

    var tag: [UInt8] {
      switch self {
      case .newKeyUnderOldPassphrase: Array("evidence-journal rekey new key\0".utf8)
      case .oldKeyUnderNewPassphrase: Array("evidence-journal rekey old key\0".utf8)
      }
    }
  }

  struct Head: Codable, Equatable {
    var sequence: UInt64
    var chain: String
  }

  var format: String
  var version: Int
  /// `vault.json` as it was before the change.
  var oldHeader: VaultHeader
  /// `vault.json` as it is after the change: the new master key wrapped under the new passphrase.
  var newHeader: VaultHeader
  /// The journal's head when the change began; the new journal must end at the same head.
  var head: Head
  var newKeyUnderOldPassphrase: VaultHeader.WrappedKey
  var oldKeyUnderNewPassphrase: VaultHeader.WrappedKey

  /// The additional data of a cross wrap: its tag, both headers' wrap additional data and the head.
  func associatedData(_ wrap: CrossWrap) -> [UInt8] {
    var bytes = wrap.tag
    bytes.appendField(oldHeader.wrapAssociatedData)
    bytes.appendField(newHeader.wrapAssociatedData)
    bytes.appendBigEndian(head.sequence)
    bytes.appendField(Hex.decode(head.chain) ?? [])
    return bytes
  }

  var headValue: ChainHead {
    guard let chain = Hex.decode(head.chain, byteCount: 32) else { preconditionFailure("rekey.pending was checked") }
    return ChainHead(sequence: head.sequence, hash: chain)
  }

  static func url(in folder: URL) -> URL { folder.appendingPathComponent(fileName) }

  static func exists(in folder: URL) -> Bool {
    FileManager.default.fileExists(atPath: url(in: folder).path)
  }

  /// Encoded as stored: sorted keys, two-space indentation, one final newline (as `vault.json`).
  func encoded() -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
    guard let data = try? encoder.encode(self) else { preconditionFailure("rekey.pending encoding failed") }
    return Array(data) + [0x0a]
  }

  /// Reads and checks the file: both headers as `vault.json` is checked (caps before any work), the same vault id,
  /// hex of the right sizes.
  static func read(in folder: URL) throws(VaultError) -> RekeyPending {
    let url = url(in: folder)
    let bytes = try DurableFiles.read(url, limit: maximumFileSize)
    func damaged() -> VaultError {
      VaultError(
        .headerDamaged,
        "The record of an interrupted change of keys (\(fileName)) is damaged, so it cannot be finished.",
        hint: "Keep a copy of the whole vault folder, and restore it from a backup if you have one.")
    }
    guard let pending = try? JSONDecoder().decode(RekeyPending.self, from: Data(bytes)),
      pending.format == formatName, pending.version == 1,
      pending.oldHeader.vaultId == pending.newHeader.vaultId,
      Hex.decode(pending.head.chain, byteCount: 32) != nil,
      pending.newKeyUnderOldPassphrase.isWellFormed, pending.oldKeyUnderNewPassphrase.isWellFormed
    else { throw damaged() }
    try pending.oldHeader.check(path: url.path)
    try pending.newHeader.check(path: url.path)
    return pending
  }
}

extension VaultHeader.WrappedKey {
  /// A 24-byte nonce and a 48-byte sealed key, as hex.
  var isWellFormed: Bool {
    Hex.decode(nonce, byteCount: AEAD.nonceByteCount) != nil
      && Hex.decode(ciphertext, byteCount: SubkeyDerivation.masterKeyByteCount + AEAD.tagByteCount) != nil
  }
}
