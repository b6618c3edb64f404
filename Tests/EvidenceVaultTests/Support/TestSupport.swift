import Foundation
import Testing

@testable import EvidenceVault

/// Shared helpers: temporary vaults with the cheap key-derivation cost, and passphrases.
enum TestVaults {
  /// The key-derivation cost every test uses (one place, as DESIGN.md asks).
  static let strength = KDFStrength.interactive

  static func passphrase(_ text: String = "correct horse battery") -> SecretBytes {
    secret(Array(text.utf8))
  }

  /// Secret bytes holding a copy of `bytes`.
  static func secret(_ bytes: [UInt8]) -> SecretBytes {
    let secret = SecretBytes(zeroedByteCount: bytes.count)
    secret.withUnsafeMutableBytes { out in
      bytes.withUnsafeBytes { if $0.count > 0 { out.copyMemory(from: $0) } }
    }
    return secret
  }

  /// A fresh folder path (not created) under the temporary directory.
  static func folder(_ name: String = #function) -> URL {
    FileManager.default.temporaryDirectory
      .appendingPathComponent("evidence-tests-\(UUID().uuidString.prefix(8))")
      .appendingPathComponent("vault")
  }

  /// Removes the temporary parent of a vault folder.
  static func remove(_ folder: URL) {
    try? FileManager.default.removeItem(at: folder.deletingLastPathComponent())
  }

  static func journal(_ folder: URL) -> URL { folder.appendingPathComponent("journal.log") }
  static func header(_ folder: URL) -> URL { folder.appendingPathComponent("vault.json") }

  static func sampleEntry(title: String = "Threats in the stairwell", narrative: String = "He said he would hurt me.")
    -> Entry
  {
    Entry(
      occurred: Occurrence(
        start: Date(timeIntervalSince1970: 1_795_901_400), precision: .minute,
        timeZone: PersonalTimeZone.resolve(environment: [:])),
      title: title, narrative: narrative, location: "Storgatan 5, Malmö", categories: [.threat])
  }

  /// A vault with `count` entries, closed again; returns its folder.
  static func make(entries count: Int, people: [String] = []) throws -> URL {
    let folder = folder()
    let vault = try Vault.create(at: folder, passphrase: passphrase(), strength: strength)
    for name in people { try vault.addPerson(Person(name: name)) }
    for number in 0..<count {
      try vault.addEntry(sampleEntry(title: "Entry \(number + 1)", narrative: "Narrative number \(number + 1)."))
    }
    return folder
  }

  /// Frame boundaries of a journal file: (start of length field, end of frame).
  static func frames(_ bytes: [UInt8]) -> [Range<Int>] {
    var ranges: [Range<Int>] = []
    var offset = bytes.starts(with: JournalFormat.magicV2) ? JournalFormat.magicV2.count : 0
    while offset + 4 <= bytes.count {
      let length =
        Int(bytes[offset]) << 24 | Int(bytes[offset + 1]) << 16 | Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
      ranges.append(offset..<(offset + 4 + length))
      offset += 4 + length
    }
    return ranges
  }
}

extension Data {
  var bytes: [UInt8] { [UInt8](self) }
}

func readBytes(_ url: URL) throws -> [UInt8] { try Data(contentsOf: url).bytes }
func writeBytes(_ bytes: [UInt8], to url: URL) throws { try Data(bytes).write(to: url) }

extension TestVaults {
  /// The cheapest Argon2id the header caps allow (1 pass, 8 MiB), for tests that open a vault hundreds of times.
  static func makeCheap(
    entries count: Int, version: JournalFormat.Version = .v2, clock: @escaping () -> Date = Date.init
  ) throws -> URL {
    let folder = folder()
    let vault = try Vault.create(
      at: folder, passphrase: passphrase(), opsLimit: 1, memLimitBytes: 8 << 20, clock: clock, version: version)
    for number in 0..<count {
      try vault.addEntry(sampleEntry(title: "Entry \(number + 1)", narrative: "Narrative number \(number + 1)."))
    }
    return folder
  }

  /// Opens and returns the result, closing the vault (releasing its lock) before returning.
  static func openResult(_ folder: URL, passphrase text: String = "correct horse battery") -> Result<
    IntegrityReport, VaultError
  > {
    do {
      let vault = try Vault.open(at: folder, passphrase: passphrase(text))
      return .success(vault.integrity)
    } catch {
      return .failure(error)
    }
  }
}
