import EvidenceAge
import Foundation
import Testing

/// The scrypt work factor of every passphrase test: fast, and still a real scrypt. One place, as the style asks.
let testWorkFactor = 10

/// Bytes that differ from position to position, so that a misplaced chunk cannot decrypt to the same thing.
func patternBytes(_ count: Int, seed: UInt8 = 7) -> [UInt8] {
  (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ Int(seed) &+ ($0 >> 16)) }
}

@Suite("Encrypting and decrypting with EvidenceAge")
struct RoundTripTests {
  static let chunk = 64 * 1024
  static let sizes = [0, 1, 100, chunk - 1, chunk, chunk + 1, 2 * chunk, 2 * chunk + 1, 3 * 1024 * 1024 + 5]

  @Test(arguments: sizes)
  func aFileToARecipientOpensWithItsIdentity(size: Int) throws {
    let identity = AgeIdentity.generate()
    let plaintext = patternBytes(size)
    let file = try AgeEncryptor.encrypt(plaintext, to: [identity.recipient])
    let chunks = max(1, (size + Self.chunk - 1) / Self.chunk)
    #expect(file.count > size + chunks * 16 + 16)
    #expect(try Decrypt.file(file, identities: [identity]) == plaintext)
  }

  @Test func writesInOddPiecesGiveTheSameFileContent() throws {
    let identity = AgeIdentity.generate()
    let plaintext = patternBytes(5 * Self.chunk + 17)
    let output = AgeMemoryOutput()
    let encryptor = try AgeEncryptor(recipients: [identity.recipient], output: output)
    var offset = 0
    var step = 1
    while offset < plaintext.count {
      let end = min(offset + step, plaintext.count)
      try encryptor.write(Array(plaintext[offset..<end]))
      offset = end
      step = step * 3 + 1
    }
    try encryptor.finish()
    #expect(try Decrypt.file(output.bytes, identities: [identity]) == plaintext)
  }

  @Test func everyOneOfSeveralRecipientsCanOpenTheFile() throws {
    let identities = (0..<3).map { _ in AgeIdentity.generate() }
    let plaintext = patternBytes(70_000)
    let file = try AgeEncryptor.encrypt(plaintext, to: identities.map(\.recipient))
    for identity in identities {
      #expect(try Decrypt.file(file, identities: [identity]) == plaintext)
    }
    #expect(try Decrypt.file(file, identities: [AgeIdentity.generate(), identities[2]]) == plaintext)
  }

  @Test(arguments: [0, 1, 64 * 1024, 64 * 1024 + 1])
  func aPassphraseFileOpensWithThePassphraseOnly(size: Int) throws {
    let plaintext = patternBytes(size)
    let output = AgeMemoryOutput()
    let passphrase = Decrypt.secret("tre ord som ingen gissar")
    let encryptor = try AgeEncryptor(passphrase: passphrase, workFactor: testWorkFactor, output: output)
    try encryptor.write(plaintext)
    try encryptor.finish()
    #expect(try Decrypt.file(output.bytes, passphrase: "tre ord som ingen gissar") == plaintext)
    #expect(Decrypt.failureCode(output.bytes, passphrase: "tre ord som ingen gissaR") == .noMatchingIdentity)
    #expect(Decrypt.failureCode(output.bytes, identities: [AgeIdentity.generate()]) == .noMatchingIdentity)
  }

  @Test func aHighWorkFactorIsRefusedBeforeAnyWork() throws {
    let output = AgeMemoryOutput()
    let encryptor = try AgeEncryptor(passphrase: Decrypt.secret("x"), workFactor: testWorkFactor, output: output)
    try encryptor.finish()
    let decryptor = try AgeDecryptor(input: AgeMemoryInput(output.bytes))
    #expect(decryptor.isPassphraseProtected)
    let started = Date()
    #expect(throws: AgeError.self) { try decryptor.unlock(passphrase: Decrypt.secret("x"), maximumWorkFactor: 9) }
    #expect(Date().timeIntervalSince(started) < 1)
  }

  @Test func theWrongIdentityIsToldApart() throws {
    let file = try AgeEncryptor.encrypt(patternBytes(10), to: [AgeIdentity.generate().recipient])
    do {
      _ = try Decrypt.file(file, identities: [AgeIdentity.generate()])
      Issue.record("a wrong identity opened the file")
    } catch let failure {
      #expect(failure.code == .noMatchingIdentity)
      #expect(failure.message.contains("None of the identities"))
    }
  }

  @Test(arguments: [0, 1, 15, 16, 64 * 1024 + 16, 64 * 1024 + 17])
  func aTruncatedFileIsRefused(cut: Int) throws {
    let identity = AgeIdentity.generate()
    let file = try AgeEncryptor.encrypt(patternBytes(3 * Self.chunk), to: [identity.recipient])
    let truncated = Array(file.dropLast(cut + 1))
    let code = Decrypt.failureCode(truncated, identities: [identity])
    #expect(code == .payloadInvalid)
  }

  @Test func aFileCutAtAChunkBoundaryIsRefused() throws {
    let identity = AgeIdentity.generate()
    let file = try AgeEncryptor.encrypt(patternBytes(3 * Self.chunk), to: [identity.recipient])
    let headerCount = file.count - 3 * (Self.chunk + 16)
    let cut = Array(file.prefix(headerCount + 2 * (Self.chunk + 16)))
    #expect(Decrypt.failureCode(cut, identities: [identity]) == .payloadInvalid)
    // Nothing follows the nonce: the payload is missing.
    #expect(Decrypt.failureCode(Array(file.prefix(headerCount)), identities: [identity]) == .payloadInvalid)
  }

  @Test func trailingDataIsRefused() throws {
    let identity = AgeIdentity.generate()
    let file = try AgeEncryptor.encrypt(patternBytes(1000), to: [identity.recipient])
    #expect(Decrypt.failureCode(file + [0], identities: [identity]) == .payloadInvalid)
  }

  @Test func everyFlippedByteIsRefused() throws {
    let identity = AgeIdentity.generate()
    let plaintext = patternBytes(200)
    let file = try AgeEncryptor.encrypt(plaintext, to: [identity.recipient])
    let headerCount = file.count - 200 - 16 - 16
    for index in file.indices {
      var altered = file
      altered[index] ^= 0x01
      let code = Decrypt.failureCode(altered, identities: [identity])
      if index < headerCount {
        #expect(
          [.headerInvalid, .headerAuthenticationFailed, .noMatchingIdentity].contains(code),
          "byte \(index) of the header")
      } else if index < headerCount + 16 {
        #expect(code == .payloadInvalid, "byte \(index) of the payload nonce")
      } else {
        #expect(code == .payloadInvalid, "byte \(index) of the payload")
      }
    }
  }

  @Test func aFlippedHeaderByteSaysTheHeaderWasAltered() throws {
    let identity = AgeIdentity.generate()
    var file = try AgeEncryptor.encrypt(patternBytes(10), to: [identity.recipient])
    // "age-encryption.org/v1\n-> X25519 " is 32 bytes; change the stanza's type argument into another known type.
    file[3] = UInt8(ascii: "_")
    #expect(Decrypt.failureCode(file, identities: [identity]) == .headerInvalid)
    var second = try AgeEncryptor.encrypt(patternBytes(10), to: [identity.recipient, AgeIdentity.generate().recipient])
    let text = String(decoding: second, as: UTF8.self)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    let offset = lines[0].utf8.count + 1 + lines[1].utf8.count + 1 + lines[2].utf8.count + 1 + 4
    second[offset] = second[offset] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
    do {
      _ = try Decrypt.file(second, identities: [identity])
      Issue.record("an altered header opened")
    } catch let failure {
      #expect(failure.code == .headerAuthenticationFailed || failure.code == .headerInvalid)
      #expect(failure.message.contains("header"))
    }
  }

  @Test func aFlippedPayloadByteSaysTheContentWasAltered() throws {
    let identity = AgeIdentity.generate()
    var file = try AgeEncryptor.encrypt(patternBytes(3 * Self.chunk), to: [identity.recipient])
    file[file.count - Self.chunk - 100] ^= 0x80
    do {
      _ = try Decrypt.file(file, identities: [identity])
      Issue.record("an altered payload opened")
    } catch let failure {
      #expect(failure.code == .payloadInvalid)
      #expect(failure.message.contains("chunk 2"))
      #expect(failure.hint?.contains("Nothing that failed to authenticate was released") == true)
    }
  }

  @Test func noUnauthenticatedChunkIsEverReleased() throws {
    let identity = AgeIdentity.generate()
    var file = try AgeEncryptor.encrypt(patternBytes(3 * Self.chunk), to: [identity.recipient])
    file[file.count - 10] ^= 1  // in the last chunk
    let decryptor = try AgeDecryptor(input: AgeMemoryInput(file))
    try decryptor.unlock(identities: [identity])
    #expect(try decryptor.nextChunk()?.count == Self.chunk)
    #expect(try decryptor.nextChunk()?.count == Self.chunk)
    #expect(throws: AgeError.self) { _ = try decryptor.nextChunk() }
  }

  @Test func armoredFilesRoundTrip() throws {
    let identity = AgeIdentity.generate()
    let plaintext = patternBytes(5000)
    let armored = AgeEncryptor.armor(try AgeEncryptor.encrypt(plaintext, to: [identity.recipient]))
    #expect(armored.starts(with: Array("-----BEGIN AGE ENCRYPTED FILE-----\n".utf8)))
    #expect(try Decrypt.file(armored, identities: [identity]) == plaintext)
  }

  @Test func recipientAndIdentityEncodingsRoundTrip() throws {
    let identity = AgeIdentity.generate()
    let encoded = identity.recipient.encoded
    #expect(encoded.hasPrefix("age1") && encoded.count == 62)
    #expect(try AgeRecipient(parsing: encoded) == identity.recipient)
    let secret = identity.encodedSecretKey()
    #expect(secret.hasPrefix("AGE-SECRET-KEY-1") && secret.count == 74)
    #expect(try AgeIdentity(parsing: Array(secret.utf8)).recipient == identity.recipient)
    // The spec's example pair.
    let example = try AgeIdentity(
      parsing: Array("AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX".utf8))
    #expect(example.recipient.encoded == "age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj")
  }

  @Test func recipientFilesTakeCommentsAndBlankLines() throws {
    let a = AgeIdentity.generate().recipient
    let b = AgeIdentity.generate().recipient
    let text = "# the police's key\n\(a.encoded)\n\n  \(b.encoded)  \r\n# end\n"
    #expect(try AgeRecipient.parseFile(text) == [a, b])
    #expect(throws: AgeError.self) { try AgeRecipient.parseFile("# nothing\n") }
    do {
      _ = try AgeRecipient.parseFile("\(a.encoded)\nssh-ed25519 AAAA\n")
      Issue.record("an ssh key was taken")
    } catch let failure {
      #expect(failure.code == .keyInvalid)
      #expect(failure.message.hasPrefix("Line 2 of the recipients file"))
    }
    #expect(throws: AgeError.self) { try AgeRecipient(parsing: a.encoded.uppercased()) }
    #expect(throws: AgeError.self) { try AgeRecipient(parsing: String(a.encoded.dropLast()) + "q") }
  }

  @Test func identityFilesAsAgeKeygenWritesThem() throws {
    let identity = AgeIdentity.generate()
    let text = """
      # created: 2026-12-02T12:00:00Z
      # public key: \(identity.recipient.encoded)
      \(identity.encodedSecretKey())

      """
    let parsed = try AgeIdentity.parseFile(Array(text.utf8))
    #expect(parsed.map(\.recipient) == [identity.recipient])
    #expect(throws: AgeError.self) { try AgeIdentity.parseFile(Array("# empty\n".utf8)) }
    #expect(throws: AgeError.self) { try AgeIdentity.parseFile(Array("AGE-SECRET-KEY-1QQQ\n".utf8)) }
  }
}
