import CLibFuzzer
import Foundation

/// `evidence-fuzz TARGET [libFuzzer flags and corpus folders]`: one libFuzzer harness per parser of hostile files.
///
/// Built only by `scripts/fuzz` (with `-sanitize=fuzzer,address`); see Fuzz/README.md. Each harness feeds the
/// fuzzer's bytes to the parser's most stable entry point and ignores every thrown error: a thrown error is the
/// right end for hostile input, and only a trap, an address error, a leak, a timeout or a huge allocation counts
/// as a finding.
@main
enum EvidenceFuzz {
  /// The harnesses by the name `scripts/fuzz` and Fuzz/Corpus/ know them by.
  static let harnesses: [String: @Sendable (UnsafeRawBufferPointer) -> Void] = [
    "sms-backup": SMSBackupHarness.run,
    "whatsapp": WhatsAppHarness.run,
    "telegram": TelegramHarness.run,
    "email": EmailHarness.run,
    "record-codec": RecordCodecHarness.run,
    "journal": JournalHarness.run,
    "export-package": ExportPackageHarness.run,
    "age": AgeHarness.run,
  ]

  /// The harness libFuzzer calls through `testOneInput`; set once, before the driver starts.
  nonisolated(unsafe) static var current: (UnsafeRawBufferPointer) -> Void = { _ in }

  static func main() {
    var arguments = CommandLine.arguments
    guard arguments.count >= 2, let harness = harnesses[arguments[1]] else {
      let names = harnesses.keys.sorted().joined(separator: ", ")
      FileHandle.standardError.write(
        Data("usage: evidence-fuzz TARGET [libFuzzer flags] [corpus…]; TARGET: \(names)\n".utf8))
      exit(2)
    }
    if arguments.count >= 3, arguments[2] == "--make-seeds" {
      exit(Seeds.write(arguments[1], to: arguments.count >= 4 ? arguments[3] : "."))
    }
    current = harness
    arguments.remove(at: 1)
    // libFuzzer takes argv as C strings it may keep for the life of the process.
    var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
    var argc = CInt(arguments.count)
    let status = argv.withUnsafeMutableBufferPointer { buffer in
      var pointer = buffer.baseAddress
      return LLVMFuzzerRunDriver(&argc, &pointer, testOneInput)
    }
    exit(status)
  }
}

/// libFuzzer's callback: one input, always 0 (the input may be kept in the corpus). Exported under libFuzzer's
/// name too, because the runtime's own `main` (which the linker may pull in, and `main` above replaces) refers to it.
@_cdecl("LLVMFuzzerTestOneInput")
func testOneInput(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
  EvidenceFuzz.current(UnsafeRawBufferPointer(start: data, count: count))
  return 0
}

/// Where the harnesses whose parser reads a file put the fuzzer's bytes.
enum FuzzInput {
  /// A folder of this process's own in the temporary folder (scripts/fuzz points TMPDIR at one of its own, in
  /// memory: a file per input on disk costs more than most parsers take to read it).
  static let folder: URL = {
    let url = URL(fileURLWithPath: NSTemporaryDirectory())
      .appendingPathComponent("evidence-fuzz-\(getpid())", isDirectory: true)
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }()

  /// Writes `bytes` to `name` in `folder` (in place, not through a temporary file) and returns its URL.
  static func file(_ bytes: UnsafeRawBufferPointer, named name: String) -> URL {
    let url = folder.appendingPathComponent(name)
    do {
      try Data(bytes).write(to: url)
    } catch {
      preconditionFailure("the fuzz input cannot be written to \(url.path): \(error)")
    }
    return url
  }
}
