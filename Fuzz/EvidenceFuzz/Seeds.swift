import Foundation

@testable import EvidenceVault

/// `evidence-fuzz TARGET --make-seeds FOLDER`: writes the seeds of the harnesses that cannot take a fixture file as
/// it is, from the records of the dossier's fixture vault (Tests/EvidenceReportTests/Fixtures/vault). Fuzz/Corpus/
/// holds what this wrote; run it again only when the record or journal format changes.
enum Seeds {
  /// The key every journal seed is sealed with and the journal harness decrypts with. Not a secret: a test value.
  static func journalKey() -> SecretBytes {
    secret((0..<32).map { UInt8($0) })
  }

  /// Secret bytes holding a copy of `bytes`.
  static func secret(_ bytes: [UInt8]) -> SecretBytes {
    let secret = SecretBytes(zeroedByteCount: bytes.count)
    secret.withUnsafeMutableBytes { out in
      bytes.withUnsafeBytes { if $0.count > 0 { out.copyMemory(from: $0) } }
    }
    return secret
  }

  /// The vault id the journal seeds are bound to.
  static let journalVaultId = [UInt8](repeating: 0xA5, count: 16)

  /// Writes the seeds of `target` to `folder`; returns the exit status.
  static func write(_ target: String, to folder: String) -> CInt {
    do {
      let records = try fixtureRecords()
      let out = URL(fileURLWithPath: folder, isDirectory: true)
      try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
      switch target {
      case "record-codec":
        for (number, bytes) in records.enumerated() {
          try Data(bytes).write(to: out.appendingPathComponent("record-\(number + 1).json"))
        }
      case "journal":
        let shortest = records.min { $0.count < $1.count } ?? []
        let journals: [(String, [UInt8])] = [
          ("v1-all.log", journal(records, version: .v1)),
          ("v1-three.log", journal(Array(records.prefix(3)), version: .v1)),
          ("v2-all.log", journal(records, version: .v2)),
          ("v2-three.log", journal(Array(records.prefix(3)), version: .v2)),
          ("v2-one.log", journal([shortest], version: .v2)),
          ("v2-second-damaged.log", damagingSecondFrame(journal(Array(records.prefix(3)), version: .v2))),
        ]
        for (name, bytes) in journals { try Data(bytes).write(to: out.appendingPathComponent(name)) }
      default:
        FileHandle.standardError.write(
          Data("evidence-fuzz: the seeds of \(target) are files: see Fuzz/README.md\n".utf8))
        return 2
      }
      return 0
    } catch {
      FileHandle.standardError.write(Data("evidence-fuzz: error: \(error)\n".utf8))
      return 1
    }
  }

  /// The bytes of every record of the fixture vault, opened from a copy (opening takes its lock).
  static func fixtureRecords() throws -> [[UInt8]] {
    let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("Tests/EvidenceReportTests/Fixtures/vault")
    let copy = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("evidence-fuzz-seeds-\(getpid())")
    try FileManager.default.copyItem(at: fixture, to: copy)
    defer { try? FileManager.default.removeItem(at: copy) }
    let vault = try Vault.open(at: copy, passphrase: secret(Array("correct horse battery staple".utf8)))
    return vault.records.map(\.bytes)
  }

  /// A journal of `records` in `version`, sealed with `journalKey` for `journalVaultId`.
  static func journal(_ records: [[UInt8]], version: JournalFormat.Version) -> [UInt8] {
    let key = journalKey()
    var bytes = version == .v2 ? JournalFormat.magicV2 : []
    var chain = Chain.genesis(vaultId: journalVaultId)
    for (index, record) in records.enumerated() {
      bytes += JournalFormat.seal(
        recordBytes: record, version: version, vaultId: journalVaultId, sequence: UInt64(index + 1),
        previousChain: chain, key: key)
      chain = Chain.next(previous: chain, leaf: Chain.leaf(record))
    }
    return bytes
  }

  /// `journal` (version 2) with one byte flipped inside its second frame's ciphertext.
  static func damagingSecondFrame(_ journal: [UInt8]) -> [UInt8] {
    var bytes = journal
    let first = JournalFormat.magicV2.count
    let firstLength =
      Int(bytes[first]) << 24 | Int(bytes[first + 1]) << 16 | Int(bytes[first + 2]) << 8 | Int(bytes[first + 3])
    let second = first + 4 + firstLength
    bytes[second + 4 + 8 + 24 + 5] ^= 0x01
    return bytes
  }
}
