import Foundation

/// `head.json`: the last chain head the vault acknowledged, signed with the vault's Ed25519 key.
///
/// The journal alone cannot show that its last records were cut away: the chain of what remains still verifies.
/// After every append the signed head is replaced, so a journal shorter than the head, or one whose chain at
/// the head's sequence differs, is reported. (Someone who restores an older copy of the whole folder is not
/// caught by this; only anchors sent off the device catch that.) This file is an addition to DESIGN.md's layout.
struct HeadCheckpoint: Codable, Equatable {
  static let fileName = "head.json"
  static let signatureTag = Array("evidence-journal head v1\0".utf8)

  var sequence: UInt64
  var chain: String
  var signature: String

  /// The bytes the signature covers.
  static func signedMessage(vaultId: [UInt8], sequence: UInt64, chain: [UInt8]) -> [UInt8] {
    var bytes = signatureTag
    bytes.append(contentsOf: vaultId)
    bytes.appendBigEndian(sequence)
    bytes.append(contentsOf: chain)
    return bytes
  }

  static func make(head: ChainHead, vaultId: [UInt8], signer: borrowing SigningKeyPair) -> HeadCheckpoint {
    let signature = signer.sign(signedMessage(vaultId: vaultId, sequence: head.sequence, chain: head.hash))
    return HeadCheckpoint(sequence: head.sequence, chain: Hex.encode(head.hash), signature: Hex.encode(signature))
  }

  /// True when the signature is the vault's over this sequence and chain value.
  func isAuthentic(vaultId: [UInt8], publicKey: [UInt8]) -> Bool {
    guard let chainBytes = Hex.decode(chain, byteCount: 32), let signatureBytes = Hex.decode(signature) else {
      return false
    }
    return SigningKeyPair.isValidSignature(
      signatureBytes, of: Self.signedMessage(vaultId: vaultId, sequence: sequence, chain: chainBytes),
      publicKey: publicKey)
  }

  func encoded() -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    guard let data = try? encoder.encode(self) else { preconditionFailure("head encoding failed") }
    return Array(data) + [0x0a]
  }
}
