import Foundation
import Testing

@testable import EvidenceVault

@Suite struct AnchorCodeTests {
  static let vaultId = Array(UInt8(0)..<16)
  static let chain = [UInt8](repeating: 0xAB, count: 32)
  static let key = Array(UInt8(32)..<64)

  /// Computed independently with Python's hashlib (docs/FORMAT.md, "Anchors"):
  /// sha256(b"\x04" + b"evidence-journal anchor v2" + bytes(range(16)) + (17).to_bytes(8, "big") + b"\xab" * 32
  /// + bytes(range(32, 64))), its first 29 five-bit symbols in Crockford base32, then Damm's check over GF(32) of
  /// "17" and those symbols.
  @Test func aCodeMatchesTheIndependentComputation() {
    let code = AnchorCode.make(vaultId: Self.vaultId, sequence: 17, chain: Self.chain, signingKey: Self.key)
    #expect(code == "17-R2H5Y-AMC00-SFHCY-VVE1R-HGKAQ-41E7N")
    #expect(AnchorCode.version(of: code) == 2)
  }

  /// The codes made before version 2: sha256(b"\x03" + b"evidence-journal anchor" + bytes(range(16)) +
  /// (17).to_bytes(8, "big") + b"\xab" * 32), first 10 bytes, Crockford base32.
  @Test func aVersion1CodeStillMatchesItsComputation() throws {
    let code = AnchorCode.makeVersion1(vaultId: Self.vaultId, sequence: 17, chain: Self.chain)
    #expect(code == "17-XXCC-5FEW-D1SX-4R9P")
    #expect(AnchorCode.version(of: code) == 1)
    #expect(try AnchorCode.parse("17-xxcc-5few-d1sx-4r9p") == (17, code))
    #expect(
      AnchorCode.matches(
        code, vaultIdHex: Hex.encode(Self.vaultId), sequence: 17, chainHex: Hex.encode(Self.chain), signingKeyHex: nil))
  }

  @Test func anyChangeOfVaultSequenceChainOrKeyChangesTheCode() {
    let base = AnchorCode.make(vaultId: Self.vaultId, sequence: 17, chain: Self.chain, signingKey: Self.key)
    var otherChain = Self.chain
    otherChain[31] ^= 1
    var otherKey = Self.key
    otherKey[0] ^= 0x80
    let others = [
      AnchorCode.make(vaultId: Array(1..<17), sequence: 17, chain: Self.chain, signingKey: Self.key),
      AnchorCode.make(vaultId: Self.vaultId, sequence: 18, chain: Self.chain, signingKey: Self.key),
      AnchorCode.make(vaultId: Self.vaultId, sequence: 17, chain: otherChain, signingKey: Self.key),
      AnchorCode.make(vaultId: Self.vaultId, sequence: 17, chain: Self.chain, signingKey: otherKey),
    ]
    for other in others { #expect(other.dropFirst(3) != base.dropFirst(3), "\(other)") }
  }

  @Test func typedBackCodesAreReadAsCrockfordSays() throws {
    let code = "17-R2H5Y-AMC00-SFHCY-VVE1R-HGKAQ-41E7N"
    #expect(try AnchorCode.parse(" 17-r2h5y-amc00-sfhcy-vve1r-hgkaq-41e7n ") == (17, code))
    #expect(try AnchorCode.parse("17-R2H5YAMC00SFHCYVVE1RHGKAQ41E7N") == (17, code))
    #expect(try AnchorCode.parse("17-R2H5Y AMC00 SFHCY VVE1R HGKAQ 41E7N") == (17, code))
    // O is read as 0, I and L as 1.
    #expect(try AnchorCode.parse("17-R2H5Y-AMCOO-SFHCY-VVEIR-HGKAQ-4LE7N").code == code)
    for bad in [
      "", "R2H5Y-AMC00-SFHCY-VVE1R-HGKAQ-41E7N", "17-R2H5Y-AMC00-SFHCY", "17-R2H5Y-AMC00-SFHCY-VVE1R-HGKAQ-41E7NX",
    ] {
      #expect(throws: VaultError.self, "\(bad)") { try AnchorCode.parse(bad) }
    }
  }

  /// Every single changed symbol or digit, and every swap of two different neighbours, is caught by the check
  /// symbol: "mistyped", never a code that parses.
  @Test func everySingleTypoAndEverySwapOfNeighboursIsCaught() {
    let code = AnchorCode.make(vaultId: Self.vaultId, sequence: 1234, chain: Self.chain, signingKey: Self.key)
    let characters = Array(code)
    let positions = characters.indices.filter { characters[$0] != "-" }
    let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
    var tried = 0
    for position in positions {
      let isDigitOfSequence = position < 4
      for replacement in isDigitOfSequence ? Array("0123456789") : alphabet where replacement != characters[position] {
        if isDigitOfSequence && position == 0 && replacement == "0" { continue }  // a leading zero is the same number
        var typo = characters
        typo[position] = replacement
        tried += 1
        #expect(throws: VaultError.self, "\(String(typo))") { try AnchorCode.parse(String(typo)) }
      }
    }
    let symbolPositions = positions.filter { $0 > 4 }
    for (left, right) in zip(symbolPositions, symbolPositions.dropFirst()) where characters[left] != characters[right] {
      var swapped = characters
      swapped.swapAt(left, right)
      tried += 1
      do {
        _ = try AnchorCode.parse(String(swapped))
        Issue.record("\(String(swapped)) was accepted")
      } catch {
        #expect(error.message.contains("mistyped"), "\(error.message)")
      }
    }
    #expect(tried > 800)
  }
}
