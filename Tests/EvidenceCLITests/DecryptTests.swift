import EvidenceAge
import Foundation
import Testing

/// `evidence decrypt`, as the recipient of a sealed file uses it, against files the real `age` made.
@Suite(
  "evidence decrypt",
  .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/age")))
struct DecryptTests {
  /// A temporary folder with an `age-keygen` key in it.
  final class Folder {
    let root: URL
    let keyFile: URL
    let recipient: String
    let binary: URL

    init() throws {
      binary = try EvidenceRunner.binary()
      root = FileManager.default.temporaryDirectory.appendingPathComponent("evidence-decrypt-\(UUID().uuidString)")
      try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
      keyFile = root.appendingPathComponent("key.txt")
      let made = try EvidenceRunner.run(URL(fileURLWithPath: "/usr/bin/age-keygen"), ["-o", keyFile.path])
      try #require(made.exitCode == 0, "\(made)")
      recipient =
        made.stderr.split(separator: " ").last.map {
          String($0).trimmingCharacters(in: .whitespacesAndNewlines)
        } ?? ""
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    func url(_ name: String) -> URL { root.appendingPathComponent(name) }

    /// `age -r RECIPIENT -o NAME` of `plaintext`.
    func ageEncrypt(_ plaintext: [UInt8], to name: String, armor: Bool = false) throws -> URL {
      let source = url("source-\(UUID().uuidString)")
      try Data(plaintext).write(to: source)
      let target = url(name)
      let result = try EvidenceRunner.run(
        URL(fileURLWithPath: "/usr/bin/age"), (armor ? ["-a"] : []) + ["-r", recipient, "-o", target.path, source.path])
      try #require(result.exitCode == 0, "\(result)")
      try FileManager.default.removeItem(at: source)
      return target
    }

    func evidence(_ arguments: [String], passphraseFile: URL? = nil) throws -> RunResult {
      try EvidenceRunner.run(binary, arguments, passphraseFile: passphraseFile)
    }

    /// Names in the folder (hidden ones too), to see that nothing partial is left.
    var names: Set<String> { Set((try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []) }
  }

  static let plaintext: [UInt8] = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 9) }

  @Test func aFileAgeEncryptedToAKeyIsDecryptedWithItsIdentity() throws {
    let folder = try Folder()
    for armor in [false, true] {
      let sealed = try folder.ageEncrypt(Self.plaintext, to: "dossier-\(armor).zip.age", armor: armor)
      let result = try folder.evidence(["decrypt", sealed.path, "--identity", folder.keyFile.path])
      #expect(result.exitCode == 0, "\(result)")
      let opened = folder.url("dossier-\(armor).zip")
      #expect(Array(try Data(contentsOf: opened)) == Self.plaintext)
      let mode = try FileManager.default.attributesOfItem(atPath: opened.path)[.posixPermissions] as? Int
      #expect(mode == 0o600)
    }
  }

  @Test func anExistingFileIsNeverReplaced() throws {
    let folder = try Folder()
    let sealed = try folder.ageEncrypt(Self.plaintext, to: "a.age")
    try Data("keep me".utf8).write(to: folder.url("a"))
    let result = try folder.evidence(["decrypt", sealed.path, "--identity", folder.keyFile.path])
    #expect(result.exitCode == 2)
    #expect(result.errorLines.first?.contains("already exists") == true, "\(result)")
    #expect(try String(contentsOf: folder.url("a"), encoding: .utf8) == "keep me")
  }

  @Test func theWrongIdentityLeavesNothingBehind() throws {
    let folder = try Folder()
    let sealed = try folder.ageEncrypt(Self.plaintext, to: "a.age")
    let other = folder.url("other.txt")
    _ = try EvidenceRunner.run(URL(fileURLWithPath: "/usr/bin/age-keygen"), ["-o", other.path])
    let before = folder.names
    let result = try folder.evidence(["decrypt", sealed.path, "--identity", other.path, "--out", folder.url("x").path])
    #expect(result.exitCode == 3, "\(result)")
    #expect(result.errorLines.first?.contains("None of the identities") == true)
    #expect(folder.names == before)
  }

  @Test func aFileDamagedPartWayLeavesNoPlaintextBehind() throws {
    let folder = try Folder()
    let sealed = try folder.ageEncrypt(Self.plaintext, to: "a.age")
    var bytes = Array(try Data(contentsOf: sealed))
    bytes[bytes.count - 1000] ^= 0x40  // in the last chunk: the first two decrypt and are written first
    try Data(bytes).write(to: sealed)
    let before = folder.names
    let result = try folder.evidence(["decrypt", sealed.path, "--identity", folder.keyFile.path])
    #expect(result.exitCode == 1, "\(result)")
    #expect(result.errorLines.first?.contains("damaged, truncated or altered") == true)
    #expect(result.stderr.contains("Nothing that failed to authenticate was released"))
    #expect(folder.names == before, "a partial file was left: \(folder.names.subtracting(before))")
  }

  @Test func aTruncatedFileLeavesNoPlaintextBehind() throws {
    let folder = try Folder()
    let sealed = try folder.ageEncrypt(Self.plaintext, to: "a.age")
    let bytes = Array(try Data(contentsOf: sealed))
    try Data(bytes.prefix(bytes.count - 70_000)).write(to: sealed)
    let before = folder.names
    let result = try folder.evidence(["decrypt", sealed.path, "--identity", folder.keyFile.path])
    #expect(result.exitCode == 1, "\(result)")
    #expect(folder.names == before)
  }

  @Test func aPassphraseFileAsksForThePassphrase() throws {
    let folder = try Folder()
    let output = AgeMemoryOutput()
    let passphrase = Array("fyra slumpade ord här".utf8)
    let secret = AgeSecretBytes(zeroedByteCount: passphrase.count)
    secret.withUnsafeMutableBytes { target in passphrase.withUnsafeBytes { target.copyMemory(from: $0) } }
    let encryptor = try AgeEncryptor(passphrase: secret, workFactor: 10, output: output)
    try encryptor.write(Self.plaintext)
    try encryptor.finish()
    let sealed = folder.url("p.age")
    try Data(output.bytes).write(to: sealed)
    let passphraseFile = folder.url("passphrase")
    try Data("fyra slumpade ord här\n".utf8).write(to: passphraseFile)
    let result = try folder.evidence(["decrypt", sealed.path, "--passphrase-fd", "3"], passphraseFile: passphraseFile)
    #expect(result.exitCode == 0, "\(result)")
    #expect(Array(try Data(contentsOf: folder.url("p"))) == Self.plaintext)

    try Data("fel\n".utf8).write(to: passphraseFile)
    let wrong = try folder.evidence(
      ["decrypt", sealed.path, "--passphrase-fd", "3", "--out", folder.url("q").path], passphraseFile: passphraseFile)
    #expect(wrong.exitCode == 3, "\(wrong)")
    #expect(wrong.errorLines.first?.contains("passphrase does not open") == true)
    #expect(!FileManager.default.fileExists(atPath: folder.url("q").path))
  }

  @Test func onATerminalThePassphraseIsAskedWithoutEcho() throws {
    let folder = try Folder()
    let output = AgeMemoryOutput()
    let passphrase = Array("ett engångslösen i telefon".utf8)
    let secret = AgeSecretBytes(zeroedByteCount: passphrase.count)
    secret.withUnsafeMutableBytes { target in passphrase.withUnsafeBytes { target.copyMemory(from: $0) } }
    let encryptor = try AgeEncryptor(passphrase: secret, workFactor: 10, output: output)
    try encryptor.write(Self.plaintext)
    try encryptor.finish()
    let sealed = folder.url("p.age")
    try Data(output.bytes).write(to: sealed)
    let passphraseFile = folder.url("passphrase")
    try Data(passphrase).write(to: passphraseFile)
    let opened = folder.url("opened")
    let session = try EvidenceRunner.session(
      "decrypt_session.py", [sealed.path, opened.path, passphraseFile.path])
    #expect(session.status == 0, "\(session.output)")
    #expect(Array(try Data(contentsOf: opened)) == Self.plaintext)
  }

  @Test func aKeyFileWithoutIdentityIsExplained() throws {
    let folder = try Folder()
    let sealed = try folder.ageEncrypt(Self.plaintext, to: "a.age")
    let missing = try folder.evidence(["decrypt", sealed.path])
    #expect(missing.exitCode == 2)
    #expect(missing.stderr.contains("--identity"))
    let notAKey = folder.url("notes.txt")
    try Data("hello\n".utf8).write(to: notAKey)
    let wrongFile = try folder.evidence(["decrypt", sealed.path, "--identity", notAKey.path])
    #expect(wrongFile.exitCode == 2)
    #expect(wrongFile.errorLines.first?.contains("Line 1 of the identity file") == true, "\(wrongFile)")
    let noSuffix = try folder.evidence(["decrypt", folder.keyFile.path, "--identity", folder.keyFile.path])
    #expect(noSuffix.exitCode == 2)
    #expect(noSuffix.stderr.contains("--out"))
  }
}
