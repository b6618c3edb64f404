import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// `evidence passwd --rekey`, as the person runs it, and killed in the middle.
@Suite("Changing the keys with passwd --rekey")
struct RekeyCommandTests {
  static let newPassphrase = "lila elefanter dansar tango"

  /// A vault with two entries, an anchor and attached files of `sizes` bytes (random); returns the files.
  private func populate(_ vault: TestVault, sizes: [Int]) throws -> [URL] {
    try vault.addEntry(when: "igår 22:30", title: "Threats", narrative: "He said he would find me.")
    var files: [URL] = []
    for (number, size) in sizes.enumerated() {
      let file = vault.root.appendingPathComponent("photo-\(number).bin")
      var bytes = [UInt8](repeating: 0, count: size)
      bytes.withUnsafeMutableBytes { buffer in
        for index in stride(from: 0, to: buffer.count, by: 8) {
          var word = UInt64.random(in: 0...UInt64.max)
          withUnsafeBytes(of: &word) { piece in
            let count = min(8, buffer.count - index)
            UnsafeMutableRawBufferPointer(rebasing: buffer[index..<(index + count)])
              .copyMemory(from: UnsafeRawBufferPointer(rebasing: piece[..<count]))
          }
        }
      }
      try Data(bytes).write(to: file)
      files.append(file)
    }
    try vault.succeed(["attach", "1"] + files.map(\.path))
    try vault.addEntry(when: "igår 09:00", title: "Passport", narrative: "He kept my passport.")
    return files
  }

  /// The vault's fingerprint as `verify` prints it.
  private func fingerprint(_ result: RunResult) -> String? {
    result.stdoutLines.first { $0.hasPrefix("Vault fingerprint: ") }.map { String($0.dropFirst(19)) }
  }

  @Test(
    "passwd --rekey re-encrypts everything under a new key: same entries and exhibits, a new fingerprint, anchors still check, the old passphrase and an old vault.json read nothing"
  )
  func rekeyEndToEnd() throws {
    let vault = try TestVault()
    defer { vault.remove() }
    let files = try populate(vault, sizes: [150_000, 3_000_000])
    let code = try #require(try vault.succeed(["anchor"]).stdoutLines.first)
    let listed = try vault.succeed(["list"])
    let shown = try vault.succeed(["show", "1"])
    let oldFingerprint = try #require(fingerprint(try vault.succeed(["verify"])))
    let oldHeader = try Data(contentsOf: vault.headerURL)
    let journal = try vault.journalBytes()

    try vault.writePassphrases([TestVault.passphrase, Self.newPassphrase])
    let changed = try vault.run(["passwd", "--rekey"])
    #expect(changed.exitCode == 0, "\(changed)")
    expectNoCrashText(changed)
    #expect(changed.stdout.contains("The keys were changed"), "\(changed)")
    #expect(changed.stdout.contains("5 records and 2 attached files re-encrypted"), "\(changed)")
    let line = try #require(changed.stdoutLines.first { $0.hasPrefix("Fingerprint: ") }, "\(changed)")
    #expect(line.hasPrefix("Fingerprint: \(oldFingerprint) → "), "\(line)")
    let newFingerprint = String(line.dropFirst("Fingerprint: \(oldFingerprint) → ".count))
    #expect(newFingerprint != oldFingerprint && newFingerprint.count == oldFingerprint.count)
    #expect(changed.stdout.contains("delete them"), "\(changed)")
    #expect(try vault.journalBytes() != journal, "every frame is sealed anew")

    try vault.writePassphrases([TestVault.passphrase])
    expectCleanFailure(try vault.run(["list"]), exitCode: 3, messageContains: ["passphrase is wrong"])

    try vault.writePassphrases([Self.newPassphrase])
    #expect(try vault.succeed(["list"]).stdout == listed.stdout)
    #expect(try vault.succeed(["show", "1"]).stdout == shown.stdout)
    // The old passphrase's failure above is the sixth record now.
    let verified = try vault.succeed(["verify"])
    #expect(verified.stdout.contains("OK: 6 records verify"), "\(verified)")
    #expect(verified.stdout.contains("All 2 exhibits are intact"), "\(verified)")
    #expect(fingerprint(verified) == newFingerprint)
    let checked = try vault.succeed(["anchor", "--check", code])
    expectNoCrashText(checked)
    for (number, file) in files.enumerated() {
      let out = vault.root.appendingPathComponent("out-\(number)")
      try vault.succeed(["extract", "A\(number + 1)", "--out", out.path])
      #expect(try Data(contentsOf: out) == Data(contentsOf: file))
    }

    // Someone who kept the old vault.json and knows the old passphrase, with a later copy of the folder.
    let copy = vault.root.appendingPathComponent("copy", isDirectory: true)
    try FileManager.default.copyItem(at: vault.folder, to: copy)
    try oldHeader.write(to: copy.appendingPathComponent("vault.json"))
    try vault.writePassphrases([TestVault.passphrase])
    let stolen = try vault.run(["verify"], vault: copy)
    #expect(stolen.exitCode == 1, "\(stolen)")
    #expect(stolen.stdout.contains("No record can be read"), "\(stolen)")
    let stolenList = try vault.run(["list"], vault: copy)
    #expect(!stolenList.stdout.contains("Threats") && !stolenList.stdout.contains("Passport"), "\(stolenList)")
  }

  @Test("Plain passwd says in one line that it changes only the passphrase, and points to --rekey")
  func plainPasswdPointsToRekey() throws {
    let vault = try TestVault()
    defer { vault.remove() }
    try vault.writePassphrases([TestVault.passphrase, Self.newPassphrase])
    let changed = try vault.succeed(["passwd"])
    #expect(changed.stdoutLines.count == 1, "\(changed)")
    #expect(changed.stdout.contains("copy of vault.json") && changed.stdout.contains("passwd --rekey"), "\(changed)")
    #expect(changed.stderr.isEmpty, "\(changed)")
  }

  @Test("A version 1 vault is refused with one sentence that says to upgrade first")
  func versionOneRefused() throws {
    let vault = try TestVault(initialize: false)
    defer { vault.remove() }
    let fixture = EvidenceRunner.packageRoot.appendingPathComponent("Tests/EvidenceReportTests/Fixtures/vault")
    try FileManager.default.copyItem(at: fixture, to: vault.folder)
    let before = try vault.snapshot()
    try vault.writePassphrases([TestVault.passphrase, Self.newPassphrase])
    let result = try vault.run(["passwd", "--rekey"])
    expectCleanFailure(result, exitCode: 6, messageContains: ["version 1"])
    #expect(result.stderr.contains("evidence upgrade"), "\(result)")
    #expect(try vault.snapshot() == before)
  }

  /// Starts `evidence arguments…` with the passphrase file on fd 3 and returns at once.
  private func start(_ vault: TestVault, _ arguments: [String], vaultFolder: URL) throws -> Process {
    var environment = ProcessInfo.processInfo.environment
    EvidenceRunner.fixClock(&environment)
    environment["EVIDENCE_TEST_PASSPHRASE_FILE"] = vault.passphraseFile.path
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments =
      ["-c", "exec \"$0\" \"$@\" 3<\"$EVIDENCE_TEST_PASSPHRASE_FILE\"", vault.binary.path] + arguments + [
        "--vault", vaultFolder.path, "--passphrase-fd", "3",
      ]
    process.environment = environment
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    process.standardInput = FileHandle.nullDevice
    try process.run()
    return process
  }

  /// Waits (up to 60 s) until `rekey.pending` appears in `folder` or `process` ends; returns when it appeared.
  private func waitForPending(in folder: URL, of process: Process) -> Date? {
    let path = folder.appendingPathComponent("rekey.pending").path
    let deadline = Date().addingTimeInterval(60)
    while process.isRunning, Date() < deadline {
      if access(path, F_OK) == 0 { return Date() }
      usleep(500)
    }
    return nil
  }

  @Test(
    "SIGKILL at random moments of passwd --rekey: the next open, with either passphrase, finishes it and verify passes")
  func killedAtRandomMoments() throws {
    let template = try TestVault()
    defer { template.remove() }
    let files = try populate(template, sizes: [6 << 20, 8 << 20, (5 << 20) + 12_345])
    let listed = try template.succeed(["list"])
    let cp = try #require(EvidenceRunner.onPath("cp"))

    // How long an uninterrupted change re-encrypts here, from the moment rekey.pending appears: the kills fall
    // inside that window (and, in the last runs, anywhere from the start).
    let timing = template.root.appendingPathComponent("timing", isDirectory: true)
    try #require(try EvidenceRunner.run(cp, ["-a", template.folder.path, timing.path]).exitCode == 0)
    try template.writePassphrases([TestVault.passphrase, Self.newPassphrase])
    let started = Date()
    let timed = try start(template, ["passwd", "--rekey"], vaultFolder: timing)
    let appeared = waitForPending(in: timing, of: timed) ?? started
    timed.waitUntilExit()
    try #require(timed.terminationStatus == 0, "an uninterrupted passwd --rekey failed")
    let window = max(0.02, Date().timeIntervalSince(appeared))
    let whole = Date().timeIntervalSince(started)
    try? FileManager.default.removeItem(at: timing)

    var generator = SystemRandomNumberGenerator()
    var killedMidway = 0
    for run in 1...8 {
      let copy = template.root.appendingPathComponent("run-\(run)", isDirectory: true)
      try #require(try EvidenceRunner.run(cp, ["-a", template.folder.path, copy.path]).exitCode == 0)
      defer { try? FileManager.default.removeItem(at: copy) }
      try template.writePassphrases([TestVault.passphrase, Self.newPassphrase])
      let process = try start(template, ["passwd", "--rekey"], vaultFolder: copy)
      let delay: Double
      if run <= 6 {
        delay = Double.random(in: 0..<window, using: &generator)
        _ = waitForPending(in: copy, of: process)
      } else {
        delay = Double.random(in: 0..<whole, using: &generator)
      }
      usleep(UInt32(delay * 1_000_000))
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
      let pendingLeft = FileManager.default.fileExists(atPath: copy.appendingPathComponent("rekey.pending").path)
      if pendingLeft { killedMidway += 1 }

      // Odd runs try the old passphrase first, even ones the new: whichever opens must finish the change.
      let order =
        run % 2 == 1 ? [TestVault.passphrase, Self.newPassphrase] : [Self.newPassphrase, TestVault.passphrase]
      var verified: RunResult?
      var wrongPassphrases = 0
      for passphrase in order {
        try template.writePassphrases([passphrase])
        let result = try template.run(["verify"], vault: copy)
        expectNoCrashText(result)
        if result.exitCode == 3 {
          wrongPassphrases += 1
          continue
        }
        verified = result
        break
      }
      let result = try #require(verified, "after the kill at \(delay) s, neither passphrase opens the vault")
      #expect(result.exitCode == 0, "after the kill at \(delay) s (run \(run)), verify fails: \(result)")
      // Each wrong passphrase tried first is a record of its own, taken in by the open that worked.
      #expect(result.stdout.contains("OK: \(5 + wrongPassphrases) records verify"), "\(result)")
      #expect(result.stdout.contains("All 3 exhibits are intact"), "\(result)")
      if pendingLeft {
        #expect((result.stdout + result.stderr).contains("An interrupted change of keys was finished"), "\(result)")
        #expect(result.stderr.contains("Finishing a change of keys that was interrupted"), "\(result)")
      }
      // From here on only the new passphrase opens the vault (the old one only while nothing had changed yet).
      try template.writePassphrases([Self.newPassphrase])
      let opened = try template.run(["list"], vault: copy)
      if opened.exitCode == 3 {
        #expect(!pendingLeft, "after a finished change the new passphrase must open the vault: \(opened)")
        try template.writePassphrases([TestVault.passphrase])
      }
      for leftover in ["rekey.pending", "journal.rekey"] {
        #expect(!FileManager.default.fileExists(atPath: copy.appendingPathComponent(leftover).path), "\(leftover)")
      }
      #expect(try template.run(["list"], vault: copy).stdout == listed.stdout)
      let out = template.root.appendingPathComponent("out-\(run)")
      let extracted = try template.run(["extract", "A2", "--out", out.path], vault: copy)
      #expect(extracted.exitCode == 0, "\(extracted)")
      #expect(try Data(contentsOf: out) == Data(contentsOf: files[1]))
      try? FileManager.default.removeItem(at: out)
    }
    // Not every kill can be guaranteed to land mid-way, but over eight runs most do.
    #expect(killedMidway >= 1, "no kill landed between the start and the end of the change")
  }

  @Test(
    "Killed at each fsync or rename of passwd --rekey, the next open with either passphrase finishes it and verify passes",
    arguments: ["rename", "fsync"])
  func killedAtEachStep(syscall: String) throws {
    guard let strace = EvidenceRunner.onPath("strace") else {
      Issue.record("strace is not installed, so the rekey crash series cannot run (apt-get install strace).")
      return
    }
    let template = try TestVault()
    defer { template.remove() }
    let files = try populate(template, sizes: [200_000, (1 << 20) + 77])
    let listed = try template.succeed(["list"])
    let cp = try #require(EvidenceRunner.onPath("cp"))
    var killed = 0
    var finishedNormally = false
    for n in 1...80 {
      let copy = template.root.appendingPathComponent("run-\(n)", isDirectory: true)
      try #require(try EvidenceRunner.run(cp, ["-a", template.folder.path, copy.path]).exitCode == 0)
      defer { try? FileManager.default.removeItem(at: copy) }
      try template.writePassphrases([TestVault.passphrase, Self.newPassphrase])
      let result = try EvidenceRunner.run(
        strace,
        [
          "-f", "-o", "/dev/null", "-e", "inject=\(syscall):signal=SIGKILL:when=\(n)", template.binary.path,
          "passwd", "--rekey", "--vault", copy.path, "--passphrase-fd", "3",
        ],
        passphraseFile: template.passphraseFile)
      if result.signal != nil || result.exitCode == 128 + SIGKILL {
        killed += 1
      } else {
        #expect(result.exitCode == 0, "\(syscall) run \(n) was neither killed nor successful: \(result)")
        finishedNormally = true
      }
      var opened: RunResult?
      for passphrase in n % 2 == 0
        ? [Self.newPassphrase, TestVault.passphrase] : [TestVault.passphrase, Self.newPassphrase]
      {
        try template.writePassphrases([passphrase])
        let verified = try template.run(["verify"], vault: copy)
        expectNoCrashText(verified)
        if verified.exitCode != 3 {
          opened = verified
          break
        }
      }
      let verified = try #require(opened, "after the kill at \(syscall) #\(n), neither passphrase opens the vault")
      #expect(
        verified.exitCode == 0, "after the kill at \(syscall) #\(n), verify fails: \(verified)\nthe run: \(result)")
      #expect(verified.stdout.contains("All 2 exhibits are intact"), "\(verified)")
      #expect(!FileManager.default.fileExists(atPath: copy.appendingPathComponent("rekey.pending").path))
      // Now the new passphrase opens it, or (killed before anything changed) still the old one.
      try template.writePassphrases([Self.newPassphrase])
      if try template.run(["list"], vault: copy).exitCode == 3 { try template.writePassphrases([TestVault.passphrase]) }
      #expect(try template.run(["list"], vault: copy).stdout == listed.stdout)
      let out = template.root.appendingPathComponent("out-\(n)")
      #expect(try template.run(["extract", "A2", "--out", out.path], vault: copy).exitCode == 0)
      #expect((try? Data(contentsOf: out)) == (try? Data(contentsOf: files[1])))
      try? FileManager.default.removeItem(at: out)
      if verified.exitCode != 0 || finishedNormally { break }
    }
    #expect(finishedNormally, "no run of the \(syscall) series finished within 80 injections (\(killed) killed)")
    #expect(killed >= 5, "the \(syscall) series killed only \(killed) runs: the injection exercised little")
  }
}
