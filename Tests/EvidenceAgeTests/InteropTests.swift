import EvidenceAge
import Foundation
import Testing

/// Files written by us open with the real `age` (1.1.1 here), and files written by `age` open with us.
@Suite("Interoperability with the age command", .enabled(if: Tools.hasAge))
struct InteropTests {
  /// A key pair from `age-keygen`, in `folder`.
  static func keygen(in folder: URL) throws -> (keyFile: URL, recipient: String) {
    let keyFile = folder.appendingPathComponent("key.txt")
    let output = try Tools.run(["age-keygen", "-o", keyFile.path])
    #expect(output.status == 0, "age-keygen: \(output.stderr)")
    let recipient = output.stderr.split(separator: " ").last.map {
      String($0).trimmingCharacters(in: .whitespacesAndNewlines)
    }
    return (keyFile, recipient ?? "")
  }

  /// Runs Tests/Support/age_passphrase.py, which types the passphrase into `age` on a pseudo-terminal.
  static func passphraseSession(_ mode: String, input: URL, output: URL, passphraseFile: URL) throws -> Tools.Output {
    let script = Tools.packageRoot.appendingPathComponent("Tests/Support/age_passphrase.py").path
    return try Tools.run(["python3", script, mode, input.path, output.path, passphraseFile.path])
  }

  @Test(arguments: [0, 1, 64 * 1024, 64 * 1024 + 1, 1024 * 1024 + 3])
  func ageOpensWhatWeEncryptToItsKey(size: Int) throws {
    let folder = try Tools.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let (keyFile, recipient) = try Self.keygen(in: folder)
    let plaintext = patternBytes(size)
    let file = try AgeEncryptor.encrypt(plaintext, to: [try AgeRecipient(parsing: recipient)])
    let decrypted = try Tools.run(["age", "-d", "-i", keyFile.path], input: file)
    #expect(decrypted.status == 0, "age -d: \(decrypted.stderr)")
    #expect(decrypted.stdout == plaintext)
    let armored = try Tools.run(["age", "-d", "-i", keyFile.path], input: AgeEncryptor.armor(file))
    #expect(armored.stdout == plaintext)
  }

  @Test(arguments: [0, 1, 64 * 1024, 64 * 1024 + 1, 1024 * 1024 + 3])
  func weOpenWhatAgeEncryptsToAKey(size: Int) throws {
    let folder = try Tools.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let (keyFile, recipient) = try Self.keygen(in: folder)
    let plaintext = patternBytes(size, seed: 3)
    let identities = try AgeIdentity.parseFile(Array(try Data(contentsOf: keyFile)))
    for flags in [["-r", recipient], ["-a", "-r", recipient]] {
      let encrypted = try Tools.run(["age"] + flags, input: plaintext)
      #expect(encrypted.status == 0, "age: \(encrypted.stderr)")
      #expect(try Decrypt.file(encrypted.stdout, identities: identities) == plaintext)
    }
  }

  @Test func ageOpensWhatWeEncryptToAPassphrase() throws {
    let folder = try Tools.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let passphrase = "korrekt häst batteri häftklammer"
    let passphraseFile = folder.appendingPathComponent("passphrase")
    try Data(passphrase.utf8).write(to: passphraseFile)
    let plaintext = patternBytes(100_000)
    let output = AgeMemoryOutput()
    let encryptor = try AgeEncryptor(passphrase: Decrypt.secret(passphrase), workFactor: testWorkFactor, output: output)
    try encryptor.write(plaintext)
    try encryptor.finish()
    let encrypted = folder.appendingPathComponent("sealed.age")
    try Data(output.bytes).write(to: encrypted)
    let decrypted = folder.appendingPathComponent("opened")
    let session = try Self.passphraseSession(
      "decrypt", input: encrypted, output: decrypted, passphraseFile: passphraseFile)
    #expect(session.status == 0, "age -d session: \(session.stderr)")
    #expect(Array(try Data(contentsOf: decrypted)) == plaintext)
  }

  @Test func weOpenWhatAgeEncryptsToAPassphrase() throws {
    let folder = try Tools.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let passphrase = "korrekt häst batteri häftklammer"
    let passphraseFile = folder.appendingPathComponent("passphrase")
    try Data(passphrase.utf8).write(to: passphraseFile)
    let plaintext = patternBytes(70_000, seed: 9)
    let input = folder.appendingPathComponent("plain")
    try Data(plaintext).write(to: input)
    let encrypted = folder.appendingPathComponent("sealed.age")
    let session = try Self.passphraseSession(
      "encrypt", input: input, output: encrypted, passphraseFile: passphraseFile)
    #expect(session.status == 0, "age -p session: \(session.stderr)")
    let file = Array(try Data(contentsOf: encrypted))
    #expect(try Decrypt.file(file, passphrase: passphrase) == plaintext)
    #expect(Decrypt.failureCode(file, passphrase: "fel") == .noMatchingIdentity)
  }
}
