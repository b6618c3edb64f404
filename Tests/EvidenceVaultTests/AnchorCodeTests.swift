import Foundation
import Testing

@testable import EvidenceVault

@Suite struct AnchorCodeTests {
  /// Computed independently with Python's hashlib (docs/FORMAT.md, "Anchors"):
  /// sha256(b"\x03" + b"evidence-journal anchor" + bytes(range(16)) + (17).to_bytes(8, "big") + b"\xab" * 32),
  /// first 10 bytes, Crockford base32.
  @Test func aCodeMatchesTheIndependentComputation() {
    let code = AnchorCode.make(vaultId: Array(0..<16), sequence: 17, chain: [UInt8](repeating: 0xAB, count: 32))
    #expect(code == "17-XXCC-5FEW-D1SX-4R9P")
  }

  @Test func anyChangeOfVaultSequenceOrChainChangesTheCode() {
    let base = AnchorCode.make(vaultId: Array(0..<16), sequence: 17, chain: [UInt8](repeating: 0xAB, count: 32))
    var otherChain = [UInt8](repeating: 0xAB, count: 32)
    otherChain[31] ^= 1
    let others = [
      AnchorCode.make(vaultId: Array(1..<17), sequence: 17, chain: [UInt8](repeating: 0xAB, count: 32)),
      AnchorCode.make(vaultId: Array(0..<16), sequence: 18, chain: [UInt8](repeating: 0xAB, count: 32)),
      AnchorCode.make(vaultId: Array(0..<16), sequence: 17, chain: otherChain),
    ]
    for other in others { #expect(other.dropFirst(3) != base.dropFirst(3), "\(other)") }
  }

  @Test func typedBackCodesAreReadAsCrockfordSays() throws {
    #expect(try AnchorCode.parse(" 17-xxcc-5few-d1sx-4r9p ") == (17, "17-XXCC-5FEW-D1SX-4R9P"))
    #expect(try AnchorCode.parse("17-XXCC5FEWD1SX4R9P") == (17, "17-XXCC-5FEW-D1SX-4R9P"))
    // O is read as 0, I and L as 1.
    #expect(try AnchorCode.parse("17-XXCC-5FEW-DISX-4R9P").code == "17-XXCC-5FEW-D1SX-4R9P")
    #expect(try AnchorCode.parse("2-OOOO-LLLL-0000-1111").code == "2-0000-1111-0000-1111")
    for bad in ["", "XXCC-5FEW-D1SX-4R9P", "17-XXCC-5FEW-D1SX", "17-XXCC-5FEW-D1SX-4R9P-0", "17-XXCC-5FEW-D1SX-4R9U"] {
      #expect(throws: VaultError.self, "\(bad)") { try AnchorCode.parse(bad) }
    }
  }
}
