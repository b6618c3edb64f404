import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The built binary against what a stranger can hand it: file names and packages holding terminal escapes,
/// anchor codes with impossible numbers, and a crash that must never leave the records in a core file.
@Suite("Hostile input through the CLI: escaped output, clean errors, no core dumps")
struct HostileOutputTests {
  /// Clears the screen, moves the cursor home and paints red: what a file name must not do to the terminal.
  static let escapes = "\u{1B}[2J\u{1B}[H\u{1B}[31m"
  static let escaped = "\\e[2J\\e[H\\e[31m"

  @Test("An attachment named with ESC sequences is printed escaped by attach and attachments, and in errors")
  func attachmentNamesAreEscaped() throws {
    let vault = try TestVault()
    defer { vault.remove() }
    let name = "photo\(Self.escapes)-red.jpg"
    let photo = vault.root.appendingPathComponent(name)
    try Data([0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 0x4A, 0x46, 0x49, 0x46, 0, 1]).write(to: photo)
    let attached = try vault.succeed(["attach", "--loose", photo.path])
    #expect(!attached.stdout.contains("\u{1B}"), "\(attached.stdout.debugDescription)")
    #expect(attached.stdout.contains("photo\(Self.escaped)-red.jpg"), "\(attached)")
    let listed = try vault.succeed(["attachments"])
    #expect(!listed.stdout.contains("\u{1B}"), "\(listed.stdout.debugDescription)")
    #expect(listed.stdout.contains("A1  photo\(Self.escaped)-red.jpg  image/jpeg"), "\(listed)")
    // The JSON keeps the name exactly (as JSON escapes it), for a program to read.
    let json = try vault.succeed(["attachments", "--json"])
    #expect(json.stdout.contains("photo\\u001b[2J\\u001b[H\\u001b[31m-red.jpg"), "\(json)")

    // A path in an error message, with a line break that would fake a second error line.
    let missing = vault.root.appendingPathComponent("gone\(Self.escapes)\nevidence: error: fake.jpg").path
    let failed = try vault.run(["attach", "--loose", missing])
    #expect(failed.exitCode != 0)
    #expect(!failed.stderr.contains("\u{1B}"), "\(failed.stderr.debugDescription)")
    expectCleanFailure(
      failed, exitCode: failed.exitCode, messageContains: ["gone\(Self.escaped)\\nevidence: error: fake"])
  }

  @Test("verify-export prints the names a package brings escaped")
  func verifyExportEscapesNamesFromThePackage() throws {
    let vault = try TestVault()
    defer { vault.remove() }
    try vault.addEntry(when: "igår 22:30", title: "Hot", narrative: "Han hotade mig.")
    let out = vault.root.appendingPathComponent("dossier")
    try vault.succeed(["export", "--out", out.path, "--format", "txt"])
    try Data("planted".utf8).write(to: out.appendingPathComponent("\(Self.escapes)planted.txt"))
    let result = try EvidenceRunner.run(try EvidenceRunner.binary(), ["verify-export", out.path, "--lang", "en"])
    #expect(result.exitCode == 1, "\(result)")
    #expect(!result.stdout.contains("\u{1B}"), "\(result.stdout.debugDescription)")
    #expect(result.stdout.contains("\(Self.escaped)planted.txt was added: it is not in the manifest."), "\(result)")
  }

  @Test(
    "An anchor code whose number is huge, negative or junk is a mistake (exit 2), never a trap",
    arguments: [
      "99999999999999999999-XXCC-5FEW-D1SX-4R9P", "18446744073709551615-XXCC-5FEW-D1SX-4R9P",
      "9223372036854775808-XXCC-5FEW-D1SX-4R9P", "-5-XXCC-5FEW-D1SX-4R9P", "+17-XXCC-5FEW-D1SX-4R9P",
      "17\u{1B}[2J-XXCC-5FEW-D1SX-4R9P",
    ])
  func hostileAnchorNumbersAreMistakes(_ code: String) throws {
    let vault = try TestVault()
    defer { vault.remove() }
    try vault.addEntry(when: "igår 22:30", title: "Hot", narrative: "Han hotade mig.")
    let result = try vault.run(["anchor", "--check=\(code)"])
    expectCleanFailure(result, exitCode: 2, messageContains: ["is not an anchor code"])
    #expect(!result.stderr.contains("\u{1B}"))
    let out = vault.root.appendingPathComponent("dossier")
    try vault.succeed(["export", "--out", out.path, "--format", "txt"])
    let verified = try EvidenceRunner.run(try EvidenceRunner.binary(), ["verify-export", out.path, "--anchor=\(code)"])
    // A mistake in what was typed, told before the package is read: exit 2, on standard error.
    expectCleanFailure(verified, exitCode: 2, messageContains: ["is not an anchor code"])
    #expect(!verified.stderr.contains("\u{1B}"))
    expectNoCrashText(verified)
  }

  @Test("A zip whose directory points near UInt64.max ends in one sentence and exit 1")
  func aHostileZipEndsInOneSentence() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-zip-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    func le(_ value: UInt64, _ count: Int) -> [UInt8] {
      (0..<count).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }
    // A ZIP64 end record whose directory starts 100 bytes before the end of a 64-bit file, its locator, and the
    // end record that sends a reader to them.
    var bytes = le(0x0606_4B50, 4) + le(44, 8) + le(45, 2) + le(45, 2) + le(0, 4) + le(0, 4)
    bytes += le(1, 8) + le(1, 8) + le(46, 8) + le(UInt64.max - 100, 8)
    bytes += le(0x0706_4B50, 4) + le(0, 4) + le(0, 8) + le(1, 4)
    bytes += le(0x0605_4B50, 4) + le(0, 4) + le(0xFFFF, 2) + le(0xFFFF, 2) + le(0xFFFF_FFFF, 8) + le(0, 2)
    let archive = folder.appendingPathComponent("dossier.zip")
    try Data(bytes).write(to: archive)
    let result = try EvidenceRunner.run(try EvidenceRunner.binary(), ["verify-export", archive.path])
    expectCleanFailure(result, exitCode: 1, messageContains: ["does not verify"])
    #expect(result.stdoutLines.count == 1, "\(result)")
    #expect(result.stdout.hasPrefix("NOT INTACT: \(archive.path) cannot be checked: "), "\(result)")
  }

  // MARK: - Core dumps

  /// The fields of `/proc/<pid>/stat` after the command name: the state first.
  private static func state(of pid: pid_t) -> String? {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
      let end = stat.lastIndex(of: ")")
    else { return nil }
    return stat[stat.index(after: end)...].split(separator: " ").first.map(String.init)
  }

  @Test(
    "Core dumps are off from the start: the core limit is 0 and the process is not dumpable",
    .enabled(if: FileManager.default.fileExists(atPath: "/proc/self/limits")), .timeLimit(.minutes(2)))
  func coreDumpsAreOffFromTheStart() throws {
    var binary = try EvidenceRunner.binary()
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("core-\(UUID().uuidString)")
    try FileManager.default.createDirectory(
      at: scratch, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
    defer { try? FileManager.default.removeItem(at: scratch) }
    if getuid() == 0 {
      // Run as nobody below, who may not be able to reach the build folder: a copy in the scratch folder.
      let copy = scratch.appendingPathComponent("evidence")
      try FileManager.default.copyItem(at: binary, to: copy)
      try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: copy.path)
      binary = copy
    }
    // The passphrase comes from a pipe nobody writes to (opened read-write, so opening it does not block): the
    // program waits there, after `main` has started and before anything is decrypted.
    let pipe = scratch.appendingPathComponent("passphrase")
    try #require(mkfifo(pipe.path, 0o600) == 0)
    // A process's /proc files belong to its user while it is dumpable and to root once it is not. Run as root
    // (as in CI) every file is root's either way, so the program is then run as nobody.
    var asUser = ""
    if getuid() == 0 {
      let setpriv = try #require(EvidenceRunner.onPath("setpriv"), "setpriv (util-linux) is needed to run as nobody")
      asUser = "\(setpriv.path) --reuid=65534 --regid=65534 --clear-groups"
    }
    var environment = ProcessInfo.processInfo.environment
    EvidenceRunner.fixClock(&environment)
    environment["EVIDENCE_TEST_PIPE"] = pipe.path
    environment["EVIDENCE_TEST_VAULT"] = scratch.appendingPathComponent("vault").path
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = [
      "-c",
      // Allow core files as far as the hard limit does, so that only the program itself can turn them off.
      "ulimit -S -c \"$(ulimit -H -c)\"; exec \(asUser) \"$0\" list --vault \"$EVIDENCE_TEST_VAULT\" --passphrase-fd 3 3<>\"$EVIDENCE_TEST_PIPE\"",
      binary.path,
    ]
    process.environment = environment
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    let pid = process.processIdentifier
    defer {
      kill(pid, SIGKILL)
      process.waitUntilExit()
    }
    // Waiting for the passphrase: the program, asleep, for half a second on end.
    var asleep = 0
    for _ in 0..<300 where asleep < 5 {
      usleep(100_000)
      let name = try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8)
      asleep = name == "evidence\n" && Self.state(of: pid) == "S" ? asleep + 1 : 0
    }
    try #require(asleep == 5, "the program never waited for its passphrase")

    let limits = try String(contentsOfFile: "/proc/\(pid)/limits", encoding: .utf8)
    let core = try #require(limits.split(separator: "\n").first { $0.hasPrefix("Max core file size") })
    let values = core.dropFirst("Max core file size".count).split(separator: " ")
    #expect(values.prefix(2) == ["0", "0"], "\(core)")

    let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
    let uid = try #require(
      status.split(separator: "\n").first { $0.hasPrefix("Uid:") }?.split(whereSeparator: \.isWhitespace).dropFirst()
        .first.flatMap { Int($0) })
    try #require(uid != 0, "the program ran as root: its /proc files would be root's whether dumpable or not")
    let owner = try FileManager.default.attributesOfItem(atPath: "/proc/\(pid)/status")[.ownerAccountID] as? NSNumber
    #expect(owner?.intValue == 0, "the process is dumpable: its /proc files belong to uid \(uid), not root")
  }
}
