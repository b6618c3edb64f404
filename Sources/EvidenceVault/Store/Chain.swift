import Foundation

/// The SHA-256 hash chain over salted record leaves (DESIGN.md, "The hash chain").
///
/// `leaf_i = SHA-256(0x00 ‖ record bytes)`, `chain_i = SHA-256(0x01 ‖ chain_(i-1) ‖ leaf_i)`,
/// `chain_0 = SHA-256(0x02 ‖ "evidence-journal genesis" ‖ vault id)`.
enum Chain {
  /// The chain value before the first record.
  static func genesis(vaultId: [UInt8]) -> [UInt8] {
    var bytes: [UInt8] = [0x02]
    bytes.append(contentsOf: Array("evidence-journal genesis".utf8))
    bytes.append(contentsOf: vaultId)
    return SHA256.hash(bytes)
  }

  /// The leaf of one record's stored JSON bytes.
  static func leaf(_ recordBytes: some ContiguousBytes) -> [UInt8] {
    let prefix: [UInt8] = [0x00]
    return prefix.withUnsafeBytes { p in recordBytes.withUnsafeBytes { r in SHA256.hash(p, r) } }
  }

  /// The chain value after a record with leaf `leaf`.
  static func next(previous: [UInt8], leaf: [UInt8]) -> [UInt8] {
    let prefix: [UInt8] = [0x01]
    return prefix.withUnsafeBytes { p in
      previous.withUnsafeBytes { c in leaf.withUnsafeBytes { l in SHA256.hash(p, c, l) } }
    }
  }
}

/// Where the journal stands: how many records, and the chain value after the last.
public struct ChainHead: Equatable, Sendable {
  /// The number of records (the last record's sequence number).
  public let sequence: UInt64
  /// `chain_sequence`, 32 bytes.
  public let hash: [UInt8]
  /// The hash as lowercase hex.
  public var hashHex: String { Hex.encode(hash) }
}
