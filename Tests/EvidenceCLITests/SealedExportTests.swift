import EvidenceAge
import Foundation
import Testing

/// `export --zip --recipient age1… | --recipients-file | --protect`: the package sealed into one age file, with
/// nothing of it unencrypted on disk; the recipient opens it with the real `age` and checks it with verify-export.
@Suite(
  "Sealed export, as the person sends it and the police open it",
  .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/age")))
struct SealedExportTests {
  static let canary = "KANARIEFÅGEL-7Q"

  /// A vault with one entry and one exhibit that carry the canary; the exhibit's original is deleted.
  static func vaultWithCanary() throws -> TestVault {
    let vault = try TestVault()
    _ = try vault.addEntry(
      when: "igår 22:30", title: "Hot i trapphuset", narrative: "Han skrev \(canary) på dörren.")
    let photo = vault.root.appendingPathComponent("photo.txt")
    try Data("exhibit bytes \(canary)".utf8).write(to: photo)
    try vault.succeed(["attach", "1", photo.path])
    try FileManager.default.removeItem(at: photo)
    return vault
  }

  /// Every file under `folder` that holds `needle` (as UTF-8), hidden ones too.
  static func files(under folder: URL, containing needle: String) -> [String] {
    let bytes = Data(needle.utf8)
    guard let walker = FileManager.default.enumerator(atPath: folder.path) else { return [] }
    var found: [String] = []
    while let path = walker.nextObject() as? String {
      let url = folder.appendingPathComponent(path)
      if let data = try? Data(contentsOf: url), data.range(of: bytes) != nil { found.append(path) }
    }
    return found
  }

  static func keygen(_ file: URL) throws -> String {
    let made = try EvidenceRunner.run(URL(fileURLWithPath: "/usr/bin/age-keygen"), ["-o", file.path])
    try #require(made.exitCode == 0, "\(made)")
    return made.stderr.split(separator: " ").last.map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) }
      ?? ""
  }

  @Test func sealedToARecipientItOpensWithAgeAndVerifies() throws {
    let vault = try Self.vaultWithCanary()
    defer { vault.remove() }
    let keyFile = vault.root.appendingPathComponent("police-key.txt")
    let recipient = try Self.keygen(keyFile)
    let out = vault.root.appendingPathComponent("dossier")
    let result = try vault.succeed(["export", "--out", out.path, "--zip", "--recipient", recipient])
    #expect(result.stdout.contains("nothing unencrypted was written"), "\(result)")
    #expect(!result.stderr.contains("not encrypted"))
    let sealed = vault.root.appendingPathComponent("dossier.zip.age")
    let mode = try FileManager.default.attributesOfItem(atPath: sealed.path)[.posixPermissions] as? Int
    #expect(mode == 0o600)
    #expect(!FileManager.default.fileExists(atPath: out.path))
    // Nothing of the journal in the clear anywhere in the test's folder (the vault included).
    #expect(Self.files(under: vault.root, containing: Self.canary) == [])

    let opened = vault.root.appendingPathComponent("opened.zip")
    let age = try EvidenceRunner.run(
      URL(fileURLWithPath: "/usr/bin/age"), ["-d", "-i", keyFile.path, "-o", opened.path, sealed.path])
    #expect(age.exitCode == 0, "\(age)")
    let verified = try EvidenceRunner.run(vault.binary, ["verify-export", opened.path])
    #expect(verified.exitCode == 0, "\(verified)")
    #expect(verified.stdout.hasPrefix("OFÖRÄNDRAT") || verified.stdout.hasPrefix("INTACT"), "\(verified)")
    #expect(verified.stdout.contains("dossier.txt says exactly what the records say"))
    // With the fingerprint the export printed (the person's card gives the same), the signer is confirmed.
    let fingerprint = try #require(
      result.stdout.split(separator: "\n").first { $0.hasPrefix("Vault fingerprint: ") }?
        .dropFirst("Vault fingerprint: ".count))
    let confirmed = try EvidenceRunner.run(
      vault.binary, ["verify-export", opened.path, "--fingerprint", String(fingerprint), "--lang", "en"])
    #expect(confirmed.stdout.hasPrefix("INTACT AND CONFIRMED"), "\(confirmed)")
  }

  @Test func verifyExportChecksTheSealedFileInMemory() throws {
    let vault = try Self.vaultWithCanary()
    defer { vault.remove() }
    let keyFile = vault.root.appendingPathComponent("police-key.txt")
    let recipient = try Self.keygen(keyFile)
    try vault.succeed([
      "export", "--out", vault.root.appendingPathComponent("d").path, "--zip", "--recipient", recipient,
    ])
    let sealed = vault.root.appendingPathComponent("d.zip.age")
    let verified = try EvidenceRunner.run(vault.binary, ["verify-export", sealed.path, "--identity", keyFile.path])
    #expect(verified.exitCode == 0, "\(verified)")
    #expect(verified.stdout.hasPrefix("OFÖRÄNDRAT") || verified.stdout.hasPrefix("INTACT"), "\(verified)")
    #expect(Self.files(under: vault.root, containing: Self.canary) == [])
    let noKey = try EvidenceRunner.run(vault.binary, ["verify-export", sealed.path])
    #expect(noKey.exitCode == 2)
    #expect(noKey.stderr.contains("--identity"))
    var bytes = Array(try Data(contentsOf: sealed))
    bytes[bytes.count - 200] ^= 0x01
    try Data(bytes).write(to: sealed)
    let altered = try EvidenceRunner.run(vault.binary, ["verify-export", sealed.path, "--identity", keyFile.path])
    #expect(altered.exitCode == 1, "\(altered)")
    #expect(altered.errorLines.first?.contains("damaged, truncated or altered") == true)
  }

  @Test func aRecipientsFileSealsForEveryone() throws {
    let vault = try Self.vaultWithCanary()
    defer { vault.remove() }
    let first = vault.root.appendingPathComponent("a.txt")
    let second = vault.root.appendingPathComponent("b.txt")
    let list = vault.root.appendingPathComponent("recipients.txt")
    try Data("# the police\n\(try Self.keygen(first))\n\n# the lawyer\n\(try Self.keygen(second))\n".utf8).write(
      to: list)
    let out = vault.root.appendingPathComponent("till-polisen")
    let result = try vault.succeed(["export", "--out", out.path, "--zip", "--recipients-file", list.path])
    #expect(result.stdout.contains("2 recipients"))
    let sealed = vault.root.appendingPathComponent("till-polisen.zip.age")
    for key in [first, second] {
      let opened = vault.root.appendingPathComponent("\(key.lastPathComponent).zip")
      let decrypted = try EvidenceRunner.run(
        vault.binary, ["decrypt", sealed.path, "--identity", key.path, "--out", opened.path])
      #expect(decrypted.exitCode == 0, "\(decrypted)")
      let verified = try EvidenceRunner.run(vault.binary, ["verify-export", opened.path])
      #expect(verified.stdout.hasPrefix("OFÖRÄNDRAT") || verified.stdout.hasPrefix("INTACT"), "\(verified)")
    }
  }

  @Test func protectPrintsAOneOffPassphraseThatOpensIt() throws {
    let vault = try Self.vaultWithCanary()
    defer { vault.remove() }
    let out = vault.root.appendingPathComponent("dossier")
    let result = try vault.succeed(["export", "--out", out.path, "--zip", "--protect"])
    let lines = result.stdoutLines
    guard let label = lines.firstIndex(where: { $0.hasPrefix("One-off passphrase") }), label + 1 < lines.count else {
      Issue.record("no passphrase printed: \(result)")
      return
    }
    let passphrase = lines[label + 1]
    #expect(passphrase.count == 24 && passphrase.split(separator: "-").count == 5)
    #expect(result.stdout.contains("by phone"))
    #expect(Self.files(under: vault.root, containing: Self.canary) == [])
    let file = Array(try Data(contentsOf: vault.root.appendingPathComponent("dossier.zip.age")))
    let decryptor = try AgeDecryptor(input: AgeMemoryInput(file))
    #expect(decryptor.isPassphraseProtected)
    let bytes = Array(passphrase.utf8)
    let secret = AgeSecretBytes(zeroedByteCount: bytes.count)
    secret.withUnsafeMutableBytes { target in bytes.withUnsafeBytes { target.copyMemory(from: $0) } }
    try decryptor.unlock(passphrase: secret)
    let output = AgeMemoryOutput()
    try decryptor.decrypt(to: output)
    #expect(output.bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]))
    // Another export gets another passphrase.
    let again = try vault.succeed([
      "export", "--out", vault.root.appendingPathComponent("second").path, "--zip", "--protect",
    ])
    #expect(!again.stdout.contains(passphrase))
  }

  @Test func withoutZipEachFileIsSealedOnItsOwn() throws {
    let vault = try Self.vaultWithCanary()
    defer { vault.remove() }
    let keyFile = vault.root.appendingPathComponent("k.txt")
    let recipient = try Self.keygen(keyFile)
    let out = vault.root.appendingPathComponent("dossier")
    let result = try vault.succeed(["export", "--out", out.path, "--recipient", recipient])
    #expect(result.stdout.contains("each file sealed"), "\(result)")
    let names = [
      "dossier.txt", "records.json", "manifest.json", "manifest.sig", "exhibits/01-photo.txt", "SHA256SUMS",
      "signing-key.pem", "HOW-TO-VERIFY.txt", "HUR-DU-KONTROLLERAR.txt",
    ]
    for name in names {
      #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(name + ".age").path), "\(name).age")
    }
    #expect(Self.files(under: vault.root, containing: Self.canary) == [])
    let opened = vault.root.appendingPathComponent("opened")
    try FileManager.default.createDirectory(
      at: opened.appendingPathComponent("exhibits"), withIntermediateDirectories: true)
    for name in names {
      let age = try EvidenceRunner.run(
        URL(fileURLWithPath: "/usr/bin/age"),
        [
          "-d", "-i", keyFile.path, "-o", opened.appendingPathComponent(name).path,
          out.appendingPathComponent(name + ".age").path,
        ])
      #expect(age.exitCode == 0, "\(age)")
    }
    let verified = try EvidenceRunner.run(vault.binary, ["verify-export", opened.path])
    #expect(verified.stdout.hasPrefix("OFÖRÄNDRAT") || verified.stdout.hasPrefix("INTACT"), "\(verified)")
    let again = try vault.run(["export", "--out", out.path, "--recipient", recipient])
    #expect(again.exitCode == 2)
    #expect(again.errorLines.first?.contains("already exists") == true)
  }

  @Test func aBadRecipientOrAnExistingFileStopsTheSealedExport() throws {
    let vault = try Self.vaultWithCanary()
    defer { vault.remove() }
    let recipient = try Self.keygen(vault.root.appendingPathComponent("k.txt"))
    let out = vault.root.appendingPathComponent("dossier")
    let badKey = try vault.run(["export", "--out", out.path, "--zip", "--recipient", "age1nope"])
    #expect(badKey.exitCode == 2, "\(badKey)")
    #expect(badKey.errorLines.first?.contains("not an age recipient") == true)
    let sealed = vault.root.appendingPathComponent("dossier.zip.age")
    try Data("earlier".utf8).write(to: sealed)
    let existing = try vault.run(["export", "--out", out.path, "--zip", "--recipient", recipient])
    #expect(existing.exitCode == 2)
    #expect(try String(contentsOf: sealed, encoding: .utf8) == "earlier")
    #expect(Self.files(under: vault.root, containing: Self.canary) == [])
  }
}
