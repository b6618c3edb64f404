import Foundation
import Testing

@testable import EvidenceVault

/// Known answers computed by implementations other than ours (PyNaCl, cryptography, hashlib: see each file's
/// "source" and scripts/make-vectors.py).
@Suite struct CryptoVectorTests {
  struct VectorFile: Decodable {
    let source: String
    let vectors: [[String: Value]]
  }

  enum Value: Decodable {
    case string(String)
    case integer(UInt64)
    case strings([String])

    init(from decoder: any Decoder) throws {
      let container = try decoder.singleValueContainer()
      if let integer = try? container.decode(UInt64.self) {
        self = .integer(integer)
      } else if let strings = try? container.decode([String].self) {
        self = .strings(strings)
      } else {
        self = .string(try container.decode(String.self))
      }
    }
  }

  static func load(_ name: String) throws -> [[String: Value]] {
    let url = try #require(Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Vectors"))
    let file = try JSONDecoder().decode(VectorFile.self, from: Data(contentsOf: url))
    #expect(!file.vectors.isEmpty)
    return file.vectors
  }

  static func hex(_ vector: [String: Value], _ key: String) throws -> [UInt8] {
    guard case .string(let text) = vector[key] else { throw VectorError.missing(key) }
    return try #require(Hex.decode(text), "\(key) is not hex")
  }

  static func integer(_ vector: [String: Value], _ key: String) throws -> UInt64 {
    guard case .integer(let value) = vector[key] else { throw VectorError.missing(key) }
    return value
  }

  static func string(_ vector: [String: Value], _ key: String) throws -> String {
    guard case .string(let value) = vector[key] else { throw VectorError.missing(key) }
    return value
  }

  enum VectorError: Error { case missing(String) }

  static func secret(_ bytes: [UInt8]) -> SecretBytes { TestVaults.secret(bytes) }
  static func bytes(_ secret: borrowing SecretBytes) -> [UInt8] { secret.withUnsafeBytes { Array($0) } }

  @Test func argon2idMatchesIndependentImplementations() throws {
    for vector in try Self.load("argon2id") {
      let key = try PasswordHash.deriveKey(
        passphrase: Self.secret(try Self.hex(vector, "passphrase")), salt: try Self.hex(vector, "salt"),
        opsLimit: try Self.integer(vector, "opsLimit"), memLimitBytes: try Self.integer(vector, "memLimitBytes"),
        keyByteCount: Int(try Self.integer(vector, "outputLength")))
      #expect(Self.bytes(key) == (try Self.hex(vector, "key")))
    }
  }

  @Test func xchacha20poly1305SealsAndOpensLikePyNaCl() throws {
    for vector in try Self.load("xchacha20poly1305") {
      let key = Self.secret(try Self.hex(vector, "key"))
      let nonce = try Self.hex(vector, "nonce")
      let associatedData = try Self.hex(vector, "associatedData")
      let plaintext = try Self.hex(vector, "plaintext")
      let expected = try Self.hex(vector, "ciphertext")
      #expect(AEAD.seal(plaintext, nonce: nonce, associatedData: associatedData, key: key) == expected)
      let opened = try expected.withUnsafeBytes { ciphertext in
        try nonce.withUnsafeBytes { try AEAD.open(ciphertext, nonce: $0, associatedData: associatedData, key: key) }
      }
      #expect(opened == plaintext)
    }
  }

  @Test func xchacha20poly1305RejectsEveryFlippedByteAndOtherAssociatedData() throws {
    let vector = try #require(
      try Self.load("xchacha20poly1305").first { (try? Self.hex($0, "plaintext").count) == 300 })
    let key = Self.secret(try Self.hex(vector, "key"))
    let nonce = try Self.hex(vector, "nonce")
    let associatedData = try Self.hex(vector, "associatedData")
    let ciphertext = try Self.hex(vector, "ciphertext")
    for index in ciphertext.indices {
      var altered = ciphertext
      altered[index] ^= 0x01
      #expect(throws: CryptoFailure.authenticationFailed) {
        try altered.withUnsafeBytes { c in
          try nonce.withUnsafeBytes { try AEAD.open(c, nonce: $0, associatedData: associatedData, key: key) }
        }
      }
    }
    #expect(throws: CryptoFailure.authenticationFailed) {
      try ciphertext.withUnsafeBytes { c in
        try nonce.withUnsafeBytes { try AEAD.open(c, nonce: $0, associatedData: associatedData + [0], key: key) }
      }
    }
  }

  @Test func subkeysMatchBlake2bWithSaltAndPersonalisation() throws {
    for vector in try Self.load("kdf") {
      let subkey = SubkeyDerivation.deriveSubkey(
        from: Self.secret(try Self.hex(vector, "masterKey")), id: try Self.integer(vector, "subkeyId"),
        context: try Self.string(vector, "context"), byteCount: Int(try Self.integer(vector, "subkeyLength")))
      #expect(Self.bytes(subkey) == (try Self.hex(vector, "subkey")))
    }
  }

  @Test func ed25519KeysAndSignaturesMatch() throws {
    for vector in try Self.load("ed25519") {
      let pair = SigningKeyPair(seed: Self.secret(try Self.hex(vector, "seed")))
      let message = try Self.hex(vector, "message")
      let signature = try Self.hex(vector, "signature")
      #expect(pair.publicKey == (try Self.hex(vector, "publicKey")))
      #expect(pair.sign(message) == signature)
      #expect(SigningKeyPair.isValidSignature(signature, of: message, publicKey: pair.publicKey))
      #expect(!SigningKeyPair.isValidSignature(signature, of: message + [0], publicKey: pair.publicKey))
    }
  }

  @Test func inboxPublicKeyMatchesBoxSeedKeypair() throws {
    for vector in try Self.load("box_seed_keypair") {
      #expect(
        InboxKey.publicKey(seed: Self.secret(try Self.hex(vector, "seed"))) == (try Self.hex(vector, "publicKey")))
    }
  }

  @Test func sealedBoxesFromPyNaClOpenAndOursOpenToo() throws {
    for vector in try Self.load("box_seal") {
      let pair = InboxKeyPair(seed: Self.secret(try Self.hex(vector, "seed")))
      let message = try Self.hex(vector, "message")
      var sealed = try Self.hex(vector, "sealed")
      #expect(try pair.open(sealed) == message)
      let ours = message.withUnsafeBytes { InboxKey.seal($0, to: pair.publicKey) }
      #expect(ours.count == message.count + InboxKey.sealOverheadByteCount)
      #expect(try pair.open(ours) == message)
      for index in [0, 31, 32, sealed.count - 1] {
        sealed[index] ^= 0x01
        #expect(throws: CryptoFailure.authenticationFailed) { try pair.open(sealed) }
        sealed[index] ^= 0x01
      }
      #expect(throws: CryptoFailure.authenticationFailed) { try pair.open(Array(sealed.dropLast())) }
    }
  }

  @Test func sha256MatchesHashlib() throws {
    for vector in try Self.load("sha256") {
      #expect(SHA256.hash(try Self.hex(vector, "message")) == (try Self.hex(vector, "digest")))
    }
  }

  @Test func chainMatchesIndependentComputation() throws {
    for vector in try Self.load("chain") {
      let vaultId = try Self.hex(vector, "vaultId")
      guard case .strings(let records) = vector["records"], case .strings(let leaves) = vector["leaves"],
        case .strings(let chains) = vector["chains"]
      else { throw VectorError.missing("records/leaves/chains") }
      var chain = Chain.genesis(vaultId: vaultId)
      #expect(chain == (try Self.hex(vector, "genesis")))
      for (index, record) in records.enumerated() {
        let leaf = Chain.leaf(Array(record.utf8))
        #expect(Hex.encode(leaf) == leaves[index])
        chain = Chain.next(previous: chain, leaf: leaf)
        #expect(Hex.encode(chain) == chains[index])
      }
    }
  }

  @Test func paddingMatchesISO7816() throws {
    for vector in try Self.load("pad") {
      let unpadded = try Self.hex(vector, "unpadded")
      let padded = try Self.hex(vector, "padded")
      #expect(Padding.pad(unpadded) == padded)
      #expect(try Padding.unpad(padded) == unpadded)
    }
    #expect(throws: CryptoFailure.invalidInput) { try Padding.unpad([UInt8](repeating: 0, count: 256)) }
  }

  @Test func keyedBlake2bMatchesHashlib() throws {
    for vector in try Self.load("blake2b_keyed") {
      let digest = KeyedBLAKE2b.hash(try Self.hex(vector, "message"), key: Self.secret(try Self.hex(vector, "key")))
      #expect(digest == (try Self.hex(vector, "digest")))
    }
  }

  @Test func secretBytesCompareInConstantTimeAndCopyExactly() {
    let a = Self.secret([1, 2, 3])
    let b = Self.secret([1, 2, 3])
    let c = Self.secret([1, 2, 4])
    let same = a.isEqual(to: b)
    let different = a.isEqual(to: c)
    let shorter = a.isEqual(to: Self.secret([1, 2]))
    #expect(same && !different && !shorter)
    let copy = Self.bytes(a.duplicate())
    let emptyCount = Self.secret([]).count
    let randomCount = SecretBytes(randomByteCount: 32).count
    #expect(copy == [1, 2, 3] && emptyCount == 0 && randomCount == 32)
  }
}
