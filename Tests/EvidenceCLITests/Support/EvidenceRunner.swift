import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// What one run of a program gave back.
struct RunResult: CustomStringConvertible {
  /// The exit status; for a run ended by a signal, 128 + the signal number (as a shell reports it).
  let exitCode: Int32
  /// The signal that ended the run, if one did.
  let signal: Int32?
  let stdout: String
  let stderr: String
  /// Wall-clock seconds from start to exit.
  let duration: TimeInterval

  /// The lines of stderr that start with `evidence: error: `.
  var errorLines: [String] {
    stderr.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
      .filter { $0.hasPrefix("evidence: error: ") }
  }

  var stdoutLines: [String] {
    stdout.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
  }

  var description: String {
    "exit \(exitCode)\(signal.map { " (signal \($0))" } ?? "") after \(String(format: "%.2f", duration)) s\n--- stdout ---\n\(stdout)--- stderr ---\n\(stderr)--------------"
  }
}

/// Runs the `evidence` binary the way a person's script would, with the passphrase on file descriptor 3.
///
/// The passphrase never appears on argv: a small `/bin/sh` wrapper opens the passphrase file as fd 3
/// (`exec "$0" "$@" 3<"$FILE"`, the file's path travelling in the environment), then execs the program.
/// Standard input is a pipe (given data, or empty), never the test runner's terminal.
enum EvidenceRunner {
  enum Failure: Error, CustomStringConvertible {
    case binaryNotFound([String])
    case timedOut([String], TimeInterval)
    var description: String {
      switch self {
      case .binaryNotFound(let tried): "The evidence binary was not found; tried: \(tried.joined(separator: ", "))"
      case .timedOut(let arguments, let seconds):
        "\(arguments.joined(separator: " ")) did not finish within \(seconds) s"
      }
    }
  }

  /// The package's root folder, from this file's place in Tests/EvidenceCLITests/Support/.
  static let packageRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()  // Support
    .deletingLastPathComponent()  // EvidenceCLITests
    .deletingLastPathComponent()  // Tests
    .deletingLastPathComponent()

  /// The time zone every run uses, so that dates in the tests mean the same to the program.
  static let timeZoneName = "Europe/Stockholm"

  /// The "now" every run of the (debug) binary uses instead of the device clock, so that no test depends on the
  /// hour or the day it runs at: Monday 30 November 2026, 12:00 in Stockholm. That morning and "igår 22:30" are in
  /// the past, "15:00" is in the future, whatever the real clock says.
  static let now = "2026-11-30T11:00:00Z"

  /// `now` as a `Date`.
  static let nowDate = Date(timeIntervalSince1970: 1_796_036_400)

  /// The environment that makes a run of the binary use `now` and `timeZoneName`.
  /// Runs `Tests/Support/<script>` (a pexpect session on a real pseudo-terminal) with the binary's path and
  /// `arguments`, under the fixed clock; returns its exit status and everything it printed.
  static func session(_ script: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments =
      ["python3", packageRoot.appendingPathComponent("Tests/Support/\(script)").path, try binary().path] + arguments
    var environment = ProcessInfo.processInfo.environment
    fixClock(&environment)
    process.environment = environment
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    try process.run()
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return (process.terminationStatus, text)
  }

  /// Also fixes the interface language to English, whatever the machine's locale: a test that wants another sets
  /// `EVIDENCE_LANG` (or `--ui-lang`) itself.
  static func fixClock(_ environment: inout [String: String]) {
    environment["TZ"] = timeZoneName
    environment["EVIDENCE_TEST_NOW"] = now
    environment["EVIDENCE_LANG"] = "en"
  }

  /// The built `evidence` executable: next to the test bundle, else `.build/debug/evidence`.
  static func binary() throws -> URL {
    var folders: [URL] = []
    if let first = CommandLine.arguments.first, !first.isEmpty {
      let url = URL(fileURLWithPath: first, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
      folders.append(url.standardizedFileURL.deletingLastPathComponent())
    }
    folders.append(Bundle.main.bundleURL)
    folders.append(Bundle.main.bundleURL.deletingLastPathComponent())
    if let executable = Bundle.main.executableURL { folders.append(executable.deletingLastPathComponent()) }
    for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
      folders.append(bundle.bundleURL.deletingLastPathComponent())
    }
    folders.append(packageRoot.appendingPathComponent(".build/debug"))
    var tried: [String] = []
    for folder in folders {
      let candidate = folder.appendingPathComponent("evidence")
      tried.append(candidate.path)
      var isDirectory: ObjCBool = false
      if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue,
        FileManager.default.isExecutableFile(atPath: candidate.path)
      {
        return candidate
      }
    }
    throw Failure.binaryNotFound(tried)
  }

  /// A program on `PATH` (e.g. strace), or nil.
  static func onPath(_ name: String) -> URL? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
    for folder in path.split(separator: ":").map(String.init) + ["/usr/bin", "/bin", "/usr/sbin", "/sbin"] {
      let candidate = URL(fileURLWithPath: folder).appendingPathComponent(name)
      if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
    }
    return nil
  }

  /// Runs `executable arguments…` under `/bin/sh`.
  ///
  /// - Parameters:
  ///   - passphraseFile: opened as fd 3 for the program, if given.
  ///   - stdin: the bytes on standard input (a pipe; empty when nil).
  ///   - shellPrefix: shell commands run before the `exec` (e.g. `ulimit -f 8;`).
  static func run(
    _ executable: URL, _ arguments: [String], passphraseFile: URL? = nil, stdin: Data? = nil,
    shellPrefix: String = "", timeout: TimeInterval = 120
  ) throws -> RunResult {
    let scratch = FileManager.default.temporaryDirectory
      .appendingPathComponent("evidence-run-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    let stdoutURL = scratch.appendingPathComponent("stdout")
    let stderrURL = scratch.appendingPathComponent("stderr")
    let stdinURL = scratch.appendingPathComponent("stdin")
    try Data().write(to: stdoutURL)
    try Data().write(to: stderrURL)
    try (stdin ?? Data()).write(to: stdinURL)

    var environment = ProcessInfo.processInfo.environment
    fixClock(&environment)
    environment.removeValue(forKey: "EVIDENCE_VAULT")
    environment["XDG_DATA_HOME"] = scratch.appendingPathComponent("xdg").path  // never the real default vault
    var script = shellPrefix
    if let passphraseFile {
      environment["EVIDENCE_TEST_PASSPHRASE_FILE"] = passphraseFile.path
      script += " exec \"$0\" \"$@\" 3<\"$EVIDENCE_TEST_PASSPHRASE_FILE\""
    } else {
      script += " exec \"$0\" \"$@\""
    }

    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", script, executable.path] + arguments
    process.environment = environment
    let output = try FileHandle(forWritingTo: stdoutURL)
    let errors = try FileHandle(forWritingTo: stderrURL)
    let input = try FileHandle(forReadingFrom: stdinURL)
    defer {
      try? output.close()
      try? errors.close()
      try? input.close()
    }
    process.standardOutput = output
    process.standardError = errors
    process.standardInput = input

    let finished = DispatchSemaphore(value: 0)
    process.terminationHandler = { _ in finished.signal() }
    let start = Date()
    try process.run()
    if finished.wait(timeout: .now() + timeout) == .timedOut {
      kill(process.processIdentifier, SIGKILL)
      finished.wait()
      throw Failure.timedOut([executable.lastPathComponent] + arguments, timeout)
    }
    let duration = Date().timeIntervalSince(start)
    let signal: Int32? = process.terminationReason == .uncaughtSignal ? process.terminationStatus : nil
    let exitCode = signal.map { 128 + $0 } ?? process.terminationStatus
    return RunResult(
      exitCode: exitCode, signal: signal,
      stdout: String(decoding: (try? Data(contentsOf: stdoutURL)) ?? Data(), as: UTF8.self),
      stderr: String(decoding: (try? Data(contentsOf: stderrURL)) ?? Data(), as: UTF8.self),
      duration: duration)
  }
}

/// A vault in a fresh temporary folder, with its passphrase in a file; removed by `remove()`.
///
/// The vault itself is `<root>/vault` (made by `init`, so `init` chooses its permissions).
final class TestVault {
  static let passphrase = "correct horse battery staple"

  let root: URL
  let folder: URL
  let passphraseFile: URL
  let binary: URL

  /// A new temporary folder; with `initialize`, `evidence init --kdf interactive` is run in it.
  init(initialize: Bool = true) throws {
    binary = try EvidenceRunner.binary()
    root = FileManager.default.temporaryDirectory
      .appendingPathComponent("evidence-cli-test-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    folder = root.appendingPathComponent("vault", isDirectory: true)
    passphraseFile = root.appendingPathComponent("passphrase")
    try writePassphrases([Self.passphrase])
    if initialize {
      let result = try run(["init", "--kdf", "interactive"])
      try #require(result.exitCode == 0, "init failed: \(result)")
    }
  }

  /// Removes the whole temporary folder.
  func remove() {
    try? FileManager.default.removeItem(at: root)
  }

  /// Puts `lines` in the passphrase file, one a line.
  func writePassphrases(_ lines: [String]) throws {
    try Data(lines.map { $0 + "\n" }.joined().utf8).write(to: passphraseFile)
  }

  /// `evidence <arguments> --vault <folder> --passphrase-fd 3`, with the passphrase file on fd 3.
  func run(
    _ arguments: [String], stdin: String? = nil, shellPrefix: String = "", vault: URL? = nil,
    passphraseFile: URL? = nil
  ) throws -> RunResult {
    try EvidenceRunner.run(
      binary, arguments + ["--vault", (vault ?? folder).path, "--passphrase-fd", "3"],
      passphraseFile: passphraseFile ?? self.passphraseFile, stdin: stdin.map { Data($0.utf8) },
      shellPrefix: shellPrefix)
  }

  /// Runs a command that must succeed, and returns its result.
  @discardableResult
  func succeed(_ arguments: [String], stdin: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) throws
    -> RunResult
  {
    let result = try run(arguments, stdin: stdin)
    try #require(
      result.exitCode == 0, "`evidence \(arguments.joined(separator: " "))` failed: \(result)",
      sourceLocation: sourceLocation)
    return result
  }

  /// Adds an entry with the narrative on standard input; returns the number it was saved as.
  @discardableResult
  func addEntry(
    when: String, title: String, narrative: String, extra: [String] = [],
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> Int {
    let result = try succeed(
      ["add", "--when", when, "--title", title, "--narrative-file", "-"] + extra, stdin: narrative,
      sourceLocation: sourceLocation)
    let number = try #require(
      savedEntryNumber(result.stdout), "no \"Saved entry #N.\" in: \(result)", sourceLocation: sourceLocation)
    return number
  }

  var journalURL: URL { folder.appendingPathComponent("journal.log") }
  var headerURL: URL { folder.appendingPathComponent("vault.json") }

  func journalBytes() throws -> Data { try Data(contentsOf: journalURL) }

  /// Every regular file under `folder` (relative path → bytes); the lock file included, `backup.sealed` not: an
  /// unlock writes it once a week to note that it reminded the person there is no backup (it holds no evidence).
  func snapshot() throws -> [String: Data] {
    try TestVault.snapshot(of: folder).filter { $0.key != "backup.sealed" }
  }

  /// `snapshot` without `inbox/` (where every wrong passphrase leaves a record of itself), and how many files
  /// `inbox/` holds.
  func snapshotOutsideInbox() throws -> (files: [String: Data], inboxFiles: Int) {
    let files = try snapshot()
    let outside = files.filter { !$0.key.hasPrefix("inbox/") }
    return (outside, files.count - outside.count)
  }

  static func snapshot(of folder: URL) throws -> [String: Data] {
    var files: [String: Data] = [:]
    guard let walker = FileManager.default.enumerator(atPath: folder.path) else { return files }
    while let relative = walker.nextObject() as? String {
      let url = folder.appendingPathComponent(relative)
      var isDirectory: ObjCBool = false
      if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue {
        files[relative] = try Data(contentsOf: url)
      }
    }
    return files
  }
}

/// The K of "Saved entry #K." in `text`, if there is one.
func savedEntryNumber(_ text: String) -> Int? {
  guard let match = text.firstMatch(of: /Saved entry #(\d+)\./) else { return nil }
  return Int(match.1)
}

/// `yyyy-MM-dd` of the day before the runs' fixed "now", in the time zone the runs use.
func yesterdayDate() -> String {
  var calendar = Calendar(identifier: .gregorian)
  calendar.timeZone = TimeZone(identifier: EvidenceRunner.timeZoneName) ?? .current
  let now = EvidenceRunner.nowDate
  let yesterday = calendar.date(byAdding: .day, value: -1, to: now) ?? now
  let parts = calendar.dateComponents([.year, .month, .day], from: yesterday)
  return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
}

/// Checks that a failed run failed the way a person should see it: the exit code, exactly one
/// `evidence: error: ` line (containing each of `messageContains`), and no crash or stack trace.
func expectCleanFailure(
  _ result: RunResult, exitCode: Int32, messageContains: [String] = [],
  sourceLocation: SourceLocation = #_sourceLocation
) {
  #expect(result.signal == nil, "ended by a signal: \(result)", sourceLocation: sourceLocation)
  #expect(result.exitCode == exitCode, "expected exit \(exitCode): \(result)", sourceLocation: sourceLocation)
  let errors = result.errorLines
  #expect(errors.count == 1, "expected exactly one `evidence: error:` line: \(result)", sourceLocation: sourceLocation)
  for fragment in messageContains {
    #expect(
      errors.contains { $0.localizedCaseInsensitiveContains(fragment) },
      "the error line does not mention \"\(fragment)\": \(result)", sourceLocation: sourceLocation)
  }
  expectNoCrashText(result, sourceLocation: sourceLocation)
}

/// No Swift runtime crash report or stack trace in either stream.
func expectNoCrashText(_ result: RunResult, sourceLocation: SourceLocation = #_sourceLocation) {
  for marker in [
    "Fatal error", "fatal error", "Stack dump", "stack trace", "Backtrace", "💣", "Program crashed", "Thread 0 crashed",
    "Precondition failed",
  ] {
    #expect(!result.stderr.contains(marker), "stderr has \"\(marker)\": \(result)", sourceLocation: sourceLocation)
    #expect(!result.stdout.contains(marker), "stdout has \"\(marker)\": \(result)", sourceLocation: sourceLocation)
  }
}

/// The frames of a journal: (offset of the length field, total length including it).
func journalFrames(_ bytes: Data) -> [(offset: Int, length: Int)] {
  let bytes = [UInt8](bytes)
  var frames: [(Int, Int)] = []
  // A version 2 journal starts with an 8-byte magic ("EVJ2" CR LF ^Z LF); version 1 with its first frame.
  var offset = bytes.starts(with: [0x45, 0x56, 0x4A, 0x32, 0x0D, 0x0A, 0x1A, 0x0A]) ? 8 : 0
  while offset + 4 <= bytes.count {
    let length =
      Int(bytes[offset]) << 24 | Int(bytes[offset + 1]) << 16 | Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
    guard offset + 4 + length <= bytes.count else { break }
    frames.append((offset, 4 + length))
    offset += 4 + length
  }
  return frames
}
