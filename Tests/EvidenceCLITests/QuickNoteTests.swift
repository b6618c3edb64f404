import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// `evidence note`: a quick note without the passphrase, added to the journal at the next unlock.
@Suite struct QuickNoteTests {
  static let saved = "Saved. It will be added to your journal the next time you open it.\n"

  /// `evidence note --vault <folder> <arguments>` with `text` on standard input and no passphrase anywhere.
  static func note(_ vault: TestVault, _ text: String, _ arguments: [String] = []) throws -> RunResult {
    try EvidenceRunner.run(vault.binary, ["note", "--vault", vault.folder.path] + arguments, stdin: Data(text.utf8))
  }

  @Test func aNoteAndAPhotoWrittenWithoutThePassphraseAppearAtTheNextUnlock() throws {
    let vault = try TestVault()
    defer { vault.remove() }
    try vault.addEntry(when: "2026-11-28 22:30", title: "Earlier", narrative: "Written with the passphrase.")
    let photo = vault.root.appendingPathComponent("photo.jpg")
    let photoBytes = Data([0xFF, 0xD8, 0xFF, 0xE0]) + Data((0..<150_000).map { UInt8(truncatingIfNeeded: $0 * 7) })
    try photoBytes.write(to: photo)

    let first = try Self.note(vault, "He was waiting by the car.\nHe took my phone.", ["--attach", photo.path])
    #expect(first.exitCode == 0, "\(first)")
    #expect(first.stdout == Self.saved)
    #expect(try Self.note(vault, "Second note").exitCode == 0)

    let list = try vault.succeed(["list"])
    #expect(list.stderr.contains("evidence: 2 quick notes were added: #2, #3"), "\(list)")
    #expect(list.stdout.contains("He was waiting by the car."))
    #expect(list.stdout.contains("(quick note)"))
    let show = try vault.succeed(["show", "2"])
    #expect(show.stdout.contains("He was waiting by the car.\nHe took my phone."))
    #expect(
      show.stdout.contains(
        "Noted:        2026-11-30 12:00 (quick note: not protected by your passphrase when it was written)"),
      "\(show.stdout)")
    let copy = vault.root.appendingPathComponent("copy.jpg")
    try vault.succeed(["extract", "A1", "--out", copy.path])
    #expect(try Data(contentsOf: copy) == photoBytes)
    // Taken in once: the next open adds nothing.
    let again = try vault.succeed(["list"])
    #expect(!again.stderr.contains("quick note"))

    let out = vault.root.appendingPathComponent("dossier")
    try vault.succeed(["export", "--out", out.path, "--lang", "en", "--format", "txt"])
    let dossier = try String(contentsOf: out.appendingPathComponent("dossier.txt"), encoding: .utf8)
    let words = dossier.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    #expect(
      words.contains(
        "Noted: 30 November 2026, 12:00 (quick note: not protected by your passphrase when it was written)"),
      "\(dossier)")
    let verified = try EvidenceRunner.run(vault.binary, ["verify-export", out.path])
    #expect(verified.exitCode == 0, "\(verified)")
    let swedish = vault.root.appendingPathComponent("dossier-sv")
    try vault.succeed(["export", "--out", swedish.path, "--lang", "sv", "--format", "txt"])
    let dossierSv = try String(contentsOf: swedish.appendingPathComponent("dossier.txt"), encoding: .utf8)
    #expect(
      dossierSv.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        .contains("(snabbanteckning: inte skyddad av lösenfrasen när den skrevs)"), "\(dossierSv)")
  }

  @Test func noteWorksWhileAnotherProcessHoldsTheVault() throws {
    let vault = try TestVault()
    defer { vault.remove() }
    let lock = open(vault.folder.appendingPathComponent("lock").path, O_RDWR | O_CLOEXEC)
    try #require(lock >= 0)
    #expect(flock(lock, LOCK_EX) == 0)
    let result = try Self.note(vault, "Written while the vault was busy")
    #expect(result.exitCode == 0, "\(result)")
    #expect(try vault.run(["list"]).exitCode == 4)  // busy, as any command that opens the vault
    close(lock)
    let list = try vault.succeed(["list"])
    #expect(list.stdout.contains("Written while the vault was busy"))
  }

  @Test func noteNeverRunsTheKeyDerivation() throws {
    let vault = try TestVault()
    defer { vault.remove() }
    // The costliest key derivation the caps allow (10 passes over 2 GiB): any unlock would take many seconds.
    var header = try String(contentsOf: vault.headerURL, encoding: .utf8)
    header = header.replacingOccurrences(of: #""opsLimit" : 2"#, with: #""opsLimit" : 10"#)
    header = header.replacingOccurrences(of: #""memLimitBytes" : 67108864"#, with: #""memLimitBytes" : 2147483648"#)
    try header.write(to: vault.headerURL, atomically: false, encoding: .utf8)
    let result = try Self.note(vault, "Quick")
    #expect(result.exitCode == 0, "\(result)")
    #expect(result.duration < 1.0, "note took \(result.duration) s")
  }

  @Test func noteAsksNothingButWhatHappenedAndRefusesAnEmptyNote() throws {
    let vault = try TestVault()
    defer { vault.remove() }
    let empty = try Self.note(vault, "  \n")
    #expect(empty.exitCode == 2)
    #expect(empty.stderr.contains("empty"))
    let missing = try Self.note(vault, "text", ["--attach", vault.root.appendingPathComponent("nope.jpg").path])
    #expect(missing.exitCode == 2)
    let inbox = try FileManager.default.contentsOfDirectory(atPath: vault.folder.appendingPathComponent("inbox").path)
    #expect(inbox.isEmpty, "nothing half-saved: \(inbox)")
    let noVault = try EvidenceRunner.run(
      vault.binary, ["note", "--vault", vault.root.appendingPathComponent("none").path], stdin: Data("x".utf8))
    #expect(noVault.exitCode == 6)
  }

  @Test func aScreenshotAloneIsAQuickNote() throws {
    let vault = try TestVault()
    defer { vault.remove() }
    let screenshot = vault.root.appendingPathComponent("Screenshot 2026-11-30.png")
    let bytes = Data((0..<40_000).map { UInt8(truncatingIfNeeded: $0 &* 13) })
    try bytes.write(to: screenshot)
    let result = try Self.note(vault, "", ["--attach", screenshot.path])
    #expect(result.exitCode == 0, "\(result)")
    #expect(result.stdout == Self.saved)
    let list = try vault.succeed(["list"])
    #expect(list.stderr.contains("1 quick note was added: #1"), "\(list)")
    #expect(list.stdout.contains("Screenshot 2026-11-30.png"), "\(list)")
    let copy = vault.root.appendingPathComponent("copy.png")
    try vault.succeed(["extract", "A1", "--out", copy.path])
    #expect(try Data(contentsOf: copy) == bytes)
  }

  @Test func onATerminalNoteAsksWhatHappened() throws {
    let vault = try TestVault()
    defer { vault.remove() }
    let (status, text) = try EvidenceRunner.session("quick_note_session.py", [vault.folder.path])
    #expect(status == 0, "\(text)")
    let show = try vault.succeed(["show", "1"])
    #expect(show.stdout.contains("He followed me to the bus stop.\nSecond line."))
  }

  @Test(
    "Killed at each write, fsync, rename or unlink of an intake, every quick note ends up in the journal exactly once",
    arguments: ["write", "fsync", "rename", "unlink"])
  func intakeKilledAtEachCall(syscall: String) throws {
    guard let strace = EvidenceRunner.onPath("strace") else {
      Issue.record("strace is not installed, so the intake crash series cannot run (apt-get install strace).")
      return
    }
    let cp = try #require(EvidenceRunner.onPath("cp"))
    let template = try TestVault()
    defer { template.remove() }
    let photo = template.root.appendingPathComponent("photo.jpg")
    try Data((0..<150_000).map { UInt8(truncatingIfNeeded: $0 &* 13) }).write(to: photo)
    #expect(try Self.note(template, "First quick note", ["--attach", photo.path]).exitCode == 0)
    #expect(try Self.note(template, "Second quick note").exitCode == 0)

    var finishedNormally = false
    var killed = 0
    for n in 1...80 {
      let copy = template.root.appendingPathComponent("run-\(n)", isDirectory: true)
      let copied = try EvidenceRunner.run(cp, ["-a", template.folder.path, copy.path])
      try #require(copied.exitCode == 0, "\(copied)")
      defer { try? FileManager.default.removeItem(at: copy) }
      let result = try EvidenceRunner.run(
        strace,
        [
          "-f", "-o", "/dev/null", "-e", "inject=\(syscall):signal=SIGKILL:when=\(n)", template.binary.path,
          "list", "--vault", copy.path, "--passphrase-fd", "3",
        ],
        passphraseFile: template.passphraseFile)
      if result.signal != nil || result.exitCode == 128 + SIGKILL {
        killed += 1
      } else {
        #expect(result.exitCode == 0, "\(syscall) run \(n) was neither killed nor successful: \(result)")
        finishedNormally = true
      }
      // The next open finishes what the killed one began: each note once, its photo once, the inbox empty.
      let listed = try template.run(["list"], vault: copy)
      #expect(listed.exitCode == 0, "after the kill at \(syscall) #\(n): \(listed)")
      for title in ["First quick note", "Second quick note"] {
        let count = listed.stdout.components(separatedBy: title).count - 1
        #expect(count == 1, "after the kill at \(syscall) #\(n), \"\(title)\" is listed \(count) times: \(listed)")
      }
      let exhibits = try template.run(["attachments"], vault: copy)
      #expect(
        exhibits.stdout.components(separatedBy: "photo.jpg").count - 1 == 1,
        "after the kill at \(syscall) #\(n): \(exhibits)")
      let inbox = try FileManager.default.contentsOfDirectory(atPath: copy.appendingPathComponent("inbox").path)
      #expect(inbox.filter { $0.hasSuffix(".item") && !$0.hasPrefix(".") }.isEmpty, "\(syscall) #\(n): \(inbox)")
      let verified = try template.run(["verify"], vault: copy)
      #expect(verified.exitCode == 0, "after the kill at \(syscall) #\(n), verify: \(verified)")
      if finishedNormally { break }
    }
    #expect(finishedNormally, "no \(syscall) run of the intake finished within 80 injections")
    #expect(killed >= 1, "no \(syscall) run was killed: the injection exercised nothing")
  }

  @Test(
    "Killed at each write, fsync or link of a note, the vault still opens and a note reported saved arrives whole",
    arguments: ["write", "fsync", "link"])
  func noteKilledAtEachCall(syscall: String) throws {
    guard let strace = EvidenceRunner.onPath("strace") else {
      Issue.record("strace is not installed, so the note crash series cannot run (apt-get install strace).")
      return
    }
    let vault = try TestVault()
    defer { vault.remove() }
    let photo = vault.root.appendingPathComponent("photo.jpg")
    try Data((0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 5) }).write(to: photo)
    var finishedNormally = false
    var killed = 0
    var expectedEntries = 0
    var expectedExhibits = 0
    for n in 1...40 {
      let text = "Note \(syscall) \(n) \(UUID().uuidString)"
      let result = try EvidenceRunner.run(
        strace,
        [
          "-f", "-o", "/dev/null", "-e", "inject=\(syscall):signal=SIGKILL:when=\(n)", vault.binary.path, "note",
          "--vault", vault.folder.path, "--attach", photo.path,
        ],
        stdin: Data(text.utf8))
      let saved = result.stdout == Self.saved
      if result.signal != nil || result.exitCode == 128 + SIGKILL {
        killed += 1
      } else {
        #expect(result.exitCode == 0 && saved, "\(syscall) run \(n) was neither killed nor successful: \(result)")
        finishedNormally = true
      }
      let listed = try vault.run(["list"])
      #expect(listed.exitCode == 0, "after the kill at \(syscall) #\(n): \(listed)")
      let arrived = listed.stdout.contains(text)
      if saved { #expect(arrived, "a note reported saved is missing after \(syscall) #\(n): \(listed)") }
      if arrived { expectedEntries += 1 }
      let exhibits = try vault.run(["attachments"])
      let photos = exhibits.stdout.components(separatedBy: "photo.jpg").count - 1
      // A killed note leaves nothing, or its photo as a loose exhibit, or the whole note with its photo.
      #expect(photos >= expectedExhibits + (arrived ? 1 : 0), "\(syscall) #\(n): \(exhibits)")
      expectedExhibits = photos
      #expect(try vault.run(["verify"]).exitCode == 0, "after the kill at \(syscall) #\(n)")
      if finishedNormally { break }
    }
    let listed = try vault.run(["list"])
    #expect(listed.stdout.split(separator: "\n").filter { $0.contains("(quick note)") }.count == expectedEntries)
    #expect(finishedNormally, "no \(syscall) run of note finished within 40 injections")
    #expect(killed >= 1, "no \(syscall) run was killed: the injection exercised nothing")
  }

  @Test func noPlaintextOfANoteIsInTheVaultOrTheTemporaryFolder() throws {
    let vault = try TestVault()
    defer { vault.remove() }
    let word = "Smörblomma-\(UUID().uuidString.prefix(8))-Åkerö"
    let photoWord = "Fotografi-\(UUID().uuidString)"
    let photo = vault.root.appendingPathComponent("photo.jpg")
    try Data(Array("JPEG \(photoWord)".utf8) + [UInt8](repeating: 0x20, count: 70_000)).write(to: photo)
    var needles: [[UInt8]] = []
    for text in [word, photoWord] {
      for form in [text.precomposedStringWithCanonicalMapping, text.decomposedStringWithCanonicalMapping] {
        needles.append(Array(form.utf8))
        needles.append(form.utf16.flatMap { [UInt8($0 & 0xff), UInt8($0 >> 8)] })
        needles.append(form.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xff)] })
      }
    }
    func holders(under root: URL) -> [String] {
      var paths: [String] = []
      guard let walker = FileManager.default.enumerator(atPath: root.path) else { return [] }
      while let relative = walker.nextObject() as? String {
        let path = root.appendingPathComponent(relative).path
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
          attributes[.type] as? FileAttributeType == .typeRegular, let size = attributes[.size] as? Int,
          size <= 64 << 20, let data = FileManager.default.contents(atPath: path)
        else { continue }
        if needles.contains(where: { data.range(of: Data($0)) != nil }) { paths.append(path) }
      }
      return paths
    }
    #expect(holders(under: vault.root) == [photo.path])  // the search finds the original
    let result = try Self.note(vault, "He said: \(word)", ["--attach", photo.path])
    #expect(result.exitCode == 0, "\(result)")
    #expect(holders(under: vault.folder).isEmpty)
    #expect(holders(under: URL(fileURLWithPath: "/tmp")).filter { $0 != photo.path }.isEmpty)
    let list = try vault.succeed(["list"])
    #expect(list.stdout.contains(String(word.prefix(10))))
    #expect(holders(under: vault.folder).isEmpty)
    #expect(holders(under: URL(fileURLWithPath: "/tmp")).filter { $0 != photo.path }.isEmpty)
  }
}
