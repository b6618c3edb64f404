import Foundation
import Testing

@testable import EvidenceReport
@testable import EvidenceVault

/// Whose key signed a package: the three levels of the verdict, and the checks an officer can do by hand with
/// `sha256sum` and `openssl`.
@Suite struct SignerTests {
  /// Runs a program with `arguments` in `folder`; returns its exit status and what it printed.
  static func run(_ program: String, _ arguments: [String], in folder: URL) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [program] + arguments
    process.currentDirectoryURL = folder
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: output, as: UTF8.self))
  }

  @Test func withoutAFingerprintTheSignerIsNotConfirmedAndWithTheRightOneItIs() throws {
    let (root, package, vault) = try PackageTests.exported()
    defer { try? FileManager.default.removeItem(at: root) }
    let unconfirmed = PackageVerifier.verify(package)
    #expect(unconfirmed.level == .unconfirmed)
    #expect(unconfirmed.lines.first?.hasPrefix("INTACT, SIGNER NOT CONFIRMED") == true, "\(unconfirmed.lines)")
    #expect(unconfirmed.lines[1].contains("evidence card"))

    let confirmed = PackageVerifier.verify(package, fingerprint: vault.fingerprint)
    #expect(confirmed.level == .confirmed, "\(confirmed.lines)")
    #expect(
      confirmed.lines.first
        == "INTACT AND CONFIRMED: nothing in this package was changed since it was signed, and the key that signed it is the one you gave (fingerprint \(vault.fingerprint))."
    )
    // As people type it: no spaces, upper case.
    let typed = vault.fingerprint.replacingOccurrences(of: " ", with: "").uppercased()
    #expect(PackageVerifier.verify(package, fingerprint: typed).level == .confirmed)

    let swedish = PackageVerifier.verify(package, fingerprint: vault.fingerprint, language: .sv)
    #expect(swedish.lines.first?.hasPrefix("OFÖRÄNDRAT OCH BEKRÄFTAT: inget i detta paket har ändrats") == true)
  }

  @Test func aPackageFromASecondVaultUnderTheSameNameIsADifferentKey() throws {
    let (root, package, vault) = try PackageTests.exported()
    defer { try? FileManager.default.removeItem(at: root) }
    let (otherRoot, otherPackage, other) = try PackageTests.exported()
    defer { try? FileManager.default.removeItem(at: otherRoot) }
    #expect(other.fingerprint != vault.fingerprint)
    let verdict = PackageVerifier.verify(otherPackage, fingerprint: vault.fingerprint)
    #expect(verdict.level == .notIntact)
    #expect(
      verdict.lines.contains(
        "It was signed by a different key: its fingerprint is \(other.fingerprint), not \(vault.fingerprint) as given. It was not made from the journal you expected."
      ), "\(verdict.lines)")
    // Without a fingerprint it is intact, but the signer is not confirmed: anyone can sign a package.
    #expect(PackageVerifier.verify(otherPackage).level == .unconfirmed)
    #expect(PackageVerifier.verify(package, fingerprint: other.fingerprint).level == .notIntact)
  }

  @Test func anAnchorCodeNamesTheKeyAndAnOldStyleCodeOnlyTheRecords() throws {
    let (root, package, vault) = try PackageTests.exported()
    defer { try? FileManager.default.removeItem(at: root) }
    let head = vault.signedHead()
    let code = AnchorCode.make(
      vaultIdHex: vault.vaultIdHex, sequence: head.sequence, chainHex: head.hash,
      signingKeyHex: vault.signingPublicKeyHex)
    let withCode = PackageVerifier.verify(package, anchorCodes: [try #require(code)])
    #expect(withCode.level == .confirmed, "\(withCode.lines)")

    let oldStyle = try #require(
      AnchorCode.makeVersion1(vaultIdHex: vault.vaultIdHex, sequence: head.sequence, chainHex: head.hash))
    let withOld = PackageVerifier.verify(package, anchorCodes: [oldStyle])
    #expect(withOld.level == .unconfirmed, "\(withOld.lines)")
    #expect(withOld.lines.contains { $0.contains("Anchor \(oldStyle) matches") && $0.contains("older kind of code") })

    // A well-formed code of another journal: does not match.
    let (otherRoot, _, other) = try PackageTests.exported()
    defer { try? FileManager.default.removeItem(at: otherRoot) }
    let otherHead = other.signedHead()
    let foreign = try #require(
      AnchorCode.make(
        vaultIdHex: other.vaultIdHex, sequence: otherHead.sequence, chainHex: otherHead.hash,
        signingKeyHex: other.signingPublicKeyHex))
    let withForeign = PackageVerifier.verify(package, anchorCodes: [foreign])
    #expect(withForeign.level == .notIntact)
    #expect(withForeign.lines.contains { $0.hasPrefix("Anchor \(foreign) does not match") }, "\(withForeign.lines)")

    // A code with one character changed, or two neighbours swapped, is a typing mistake, told before any check.
    var characters = Array(try #require(code))
    let last = characters.count - 3
    characters[last] = characters[last] == "A" ? "B" : "A"
    #expect(throws: VaultError.self) {
      try PackageVerifier.checkInput(fingerprint: nil, anchorCodes: [String(characters)])
    }
    #expect(throws: VaultError.self) { try PackageVerifier.checkInput(fingerprint: "5b44 19c0", anchorCodes: []) }
  }

  @Test func aCodeMadeBeforeAChangeOfKeysStillMatchesButDoesNotConfirmTheNewKey() throws {
    let root: URL
    let anchor: Anchor
    let oldFingerprint: String
    do {  // the vault is closed at the end of this block, so that the change of keys can take it
      let exported = try PackageTests.exported()
      root = exported.root
      anchor = try exported.vault.anchor()
      oldFingerprint = exported.vault.fingerprint
    }
    defer { try? FileManager.default.removeItem(at: root) }
    let folder = root.appendingPathComponent("vault")
    _ = try Vault.rekey(at: folder, from: PackageTests.passphrase(), to: PackageTests.passphrase())
    let rekeyed = try Vault.open(at: folder, passphrase: PackageTests.passphrase())
    #expect(rekeyed.fingerprint != oldFingerprint)
    #expect(
      try rekeyed.checkAnchor(anchor.code) == .matches(sequence: anchor.sequence, madeAt: anchor.stamp.recordedAt))
    let builder = DossierBuilder(
      vault: rekeyed, selection: ExportSelection(), language: .en, personName: nil,
      producedAt: Date(timeIntervalSince1970: 1_795_958_520),
      timeZone: PersonalTimeZone.resolve(environment: [:]), includeHelpPage: false)
    let package = root.appendingPathComponent("after-rekey")
    _ = try EvidencePackage.write(builder, vault: rekeyed, to: package)
    let verdict = PackageVerifier.verify(package, anchorCodes: [anchor.code])
    // The anchor record in the journal checks with the key it names; the code given confirms the records only.
    #expect(verdict.level == .unconfirmed, "\(verdict.lines)")
    #expect(verdict.lines.contains { $0.contains("made with an earlier key of this journal") }, "\(verdict.lines)")
    #expect(PackageVerifier.verify(package, fingerprint: rekeyed.fingerprint).level == .confirmed)
  }

  @Test func aVersion1PackageStillVerifies() throws {
    let (root, package, vault) = try PackageTests.exported()
    defer { try? FileManager.default.removeItem(at: root) }
    // As exports made before version 2 wrote it: no files for checking by hand, a hex signature over a tag.
    let manifestURL = package.appendingPathComponent("manifest.json")
    var manifest = try JSONDecoder().decode(EvidencePackage.Manifest.self, from: Data(contentsOf: manifestURL))
    let handFiles: Set<String> = ["SHA256SUMS", "signing-key.pem", "HOW-TO-VERIFY.txt", "HUR-DU-KONTROLLERAR.txt"]
    for name in handFiles { try FileManager.default.removeItem(at: package.appendingPathComponent(name)) }
    manifest.files.removeAll { handFiles.contains($0.path) }
    manifest.format = EvidencePackage.version1FormatName
    let bytes = try EvidencePackage.encode(manifest)
    try Data(bytes).write(to: manifestURL)
    let signature = vault.keys.signing.sign(Vault.exportSignatureTag + bytes)
    try Data((Hex.encode(signature) + "\n").utf8).write(to: package.appendingPathComponent("manifest.sig"))
    let verdict = PackageVerifier.verify(package, fingerprint: vault.fingerprint)
    #expect(verdict.level == .confirmed, "\(verdict.lines)")
    // The raw signature of version 2 does not pass for a version 1 package, nor the reverse.
    try Data(vault.signExport(bytes)).write(to: package.appendingPathComponent("manifest.sig"))
    #expect(PackageVerifier.verify(package).level == .notIntact)
  }

  @Test func sha256sumAndOpensslCheckAPackageByHandAsHowToVerifySays() throws {
    let (root, package, vault) = try PackageTests.exported()
    defer { try? FileManager.default.removeItem(at: root) }
    let sums = try Self.run("sha256sum", ["-c", "SHA256SUMS"], in: package)
    #expect(sums.status == 0, "\(sums.output)")
    #expect(sums.output.contains("exhibits/01-injury.jpg: OK"), "\(sums.output)")
    #expect(!sums.output.contains("FAILED"))

    let verify = [
      "pkeyutl", "-verify", "-pubin", "-inkey", "signing-key.pem", "-rawin", "-in", "manifest.json",
      "-sigfile", "manifest.sig",
    ]
    let signature = try Self.run("openssl", verify, in: package)
    #expect(signature.status == 0, "\(signature.output)")
    #expect(signature.output.contains("Signature Verified Successfully"), "\(signature.output)")

    // The fingerprint, by hand, is the first 32 hex digits of SHA-256 over the raw key.
    let fingerprint = try Self.run(
      "sh", ["-c", "openssl pkey -pubin -in signing-key.pem -outform DER | tail -c 32 | sha256sum"], in: package)
    #expect(
      String(fingerprint.output.prefix(32)) == vault.fingerprint.replacingOccurrences(of: " ", with: ""),
      "\(fingerprint.output)")

    // SHA256SUMS is itself listed in the signed manifest.
    let manifest = try String(contentsOf: package.appendingPathComponent("manifest.json"), encoding: .utf8)
    let ownHash = try Self.run("sha256sum", ["SHA256SUMS"], in: package)
    #expect(manifest.contains(String(ownHash.output.prefix(64))))

    // HOW-TO-VERIFY gives exactly these commands.
    let howTo = try String(contentsOf: package.appendingPathComponent("HOW-TO-VERIFY.txt"), encoding: .utf8)
    #expect(howTo.contains("openssl " + verify.joined(separator: " ")))
    #expect(howTo.contains("sha256sum -c SHA256SUMS"))
    #expect(howTo.contains("Get-FileHash") && howTo.contains("certutil -hashfile"))
    let swedish = try String(contentsOf: package.appendingPathComponent("HUR-DU-KONTROLLERAR.txt"), encoding: .utf8)
    #expect(swedish.contains("openssl " + verify.joined(separator: " ")))

    // A changed exhibit fails sha256sum; a changed manifest fails openssl.
    let exhibit = package.appendingPathComponent("exhibits/01-injury.jpg")
    var bytes = [UInt8](try Data(contentsOf: exhibit))
    bytes[2] ^= 1
    try Data(bytes).write(to: exhibit)
    let changed = try Self.run("sha256sum", ["-c", "SHA256SUMS"], in: package)
    #expect(changed.status != 0)
    #expect(changed.output.contains("exhibits/01-injury.jpg: FAILED"), "\(changed.output)")
    var manifestBytes = [UInt8](manifest.utf8)
    manifestBytes[manifestBytes.count / 2] ^= 1
    try Data(manifestBytes).write(to: package.appendingPathComponent("manifest.json"))
    let forged = try Self.run("openssl", verify, in: package)
    #expect(forged.status != 0, "\(forged.output)")
  }

  @Test func aSHA256SUMSThatDisagreesWithTheManifestIsNamed() throws {
    let (root, package, _) = try PackageTests.exported()
    defer { try? FileManager.default.removeItem(at: root) }
    let sums = package.appendingPathComponent("SHA256SUMS")
    let text = try String(contentsOf: sums, encoding: .utf8)
    try Data(text.replacingOccurrences(of: "  records.json", with: "  records.jsom").utf8).write(to: sums)
    let verdict = PackageVerifier.verify(package)
    #expect(verdict.level == .notIntact)
    #expect(verdict.lines.contains("SHA256SUMS was changed (its SHA-256 differs)."), "\(verdict.lines)")
    #expect(verdict.lines.contains("SHA256SUMS does not list the same files and hashes as manifest.json."))
  }

  @Test func aPathThatIsNotAPackageIsAMistakeNotTampering() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("not-a-package-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: root) }
    #expect(PackageVerifier.verify(root.appendingPathComponent("nowhere")).level == .notAPackage)
    #expect(PackageVerifier.verify(root).level == .notAPackage)
    let letter = root.appendingPathComponent("letter.txt")
    try Data("Dear officer".utf8).write(to: letter)
    #expect(PackageVerifier.verify(letter).level == .notAPackage)
  }
}
