import Foundation
import Testing

@testable import EvidenceVault

@Suite struct StampTests {
  @Test func idsAreLowercaseVersion4UUIDs() throws {
    for _ in 0..<500 {
      let id = Vault.uuidText(randomBytes: Sodium.randomBytes(16)[...])
      let parsed = try #require(UUID(uuidString: id))
      #expect(parsed.uuidString.lowercased() == id)
      let bytes = withUnsafeBytes(of: parsed.uuid) { Array($0) }
      #expect(bytes[6] >> 4 == 4 && bytes[8] >> 6 == 0b10)
    }
    #expect(
      Vault.uuidText(randomBytes: Array(repeating: 0xFF, count: 16)[...]) == "ffffffff-ffff-4fff-bfff-ffffffffffff")
    #expect(Vault.uuidText(randomBytes: Array(0..<16)[...]) == "00010203-0405-4607-8809-0a0b0c0d0e0f")
  }

  @Test func recordsAreStampedWithTheClocksSecond() throws {
    let folder = TestVaults.folder()
    defer { TestVaults.remove(folder) }
    var now = Date(timeIntervalSince1970: 1_795_958_520.75)
    let vault = try Vault.create(
      at: folder, passphrase: TestVaults.passphrase(), opsLimit: 1, memLimitBytes: 8 << 20, clock: { now })
    let first = vault.stamp()
    let second = vault.stamp()
    now += 1
    let third = vault.stamp()
    #expect(first.recordedAt == "2026-11-29T13:22:00Z" && second.recordedAt == first.recordedAt)
    #expect(third.recordedAt == "2026-11-29T13:22:01Z")
    #expect(first.id != second.id && first.salt != second.salt && first.salt.count == 32)
  }
}
