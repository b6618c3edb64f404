import EvidenceVault
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

// The vault's benchmarks, for the figures in closing notes. Run: swift run -c release evidence-bench [--quick]
// Every figure is also given as a ratio to a baseline measured in the same run on the same machine.

let quick = CommandLine.arguments.contains("--quick")
let appendCount = quick ? 500 : 10_000
let openSizes = quick ? [1_000, 5_000] : [10_000, 100_000]
let root = FileManager.default.temporaryDirectory.appendingPathComponent("evidence-bench-\(getpid())")
defer { try? FileManager.default.removeItem(at: root) }

func seconds(_ body: () throws -> Void) rethrows -> Double {
  let start = DispatchTime.now().uptimeNanoseconds
  try body()
  return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func passphrase() -> SecretBytes {
  let bytes = Array("benchmark passphrase".utf8)
  let secret = SecretBytes(zeroedByteCount: bytes.count)
  secret.withUnsafeMutableBytes { out in bytes.withUnsafeBytes { out.copyMemory(from: $0) } }
  return secret
}

func entry(_ number: Int) -> Entry {
  Entry(
    occurred: Occurrence(
      start: Date(timeIntervalSince1970: 1_700_000_000 + Double(number) * 3600), precision: .minute,
      timeZone: TimeZone(identifier: "Europe/Stockholm") ?? .current),
    title: "Incident \(number)",
    narrative: String(repeating: "He came to the door again and said I owe him money. ", count: 6),
    location: "Storgatan 5, Malmö", categories: [.threat])
}

func peakMemoryMiB() -> Double {
  var usage = rusage()
  getrusage(RUSAGE_SELF.rawValue, &usage)
  return Double(usage.ru_maxrss) / 1024
}

func report(_ name: String, _ time: Double, baseline: Double, baselineName: String) {
  print(
    String(
      format: "%@: %.3f s; baseline (%@) %.3f s; ratio %.2f×", name, time, baselineName, baseline, time / baseline))
}

print("evidence-bench on \(ProcessInfo.processInfo.activeProcessorCount) cores\(quick ? " (quick)" : "")")

// 1. Appending entries one at a time, each durable (write + fsync, then the signed head replaced).
do {
  let folder = root.appendingPathComponent("append")
  let vault = try Vault.create(at: folder, passphrase: passphrase(), strength: .interactive)
  let appendTime = try seconds {
    for number in 0..<appendCount { try vault.addEntry(entry(number)) }
  }
  // Baseline: the same number of frames of the same size, appended with write + fsync and nothing else.
  let journalBytes = try Data(contentsOf: folder.appendingPathComponent("journal.log"))
  let frameSize = journalBytes.count / appendCount
  let frames = [[UInt8]](repeating: [UInt8](repeating: 0xab, count: frameSize), count: appendCount)
  let rawPath = root.appendingPathComponent("raw-appends").path
  let rawTime = seconds {
    let descriptor = open(rawPath, O_WRONLY | O_CREAT | O_APPEND, 0o600)
    for frame in frames {
      _ = frame.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
      _ = fsync(descriptor)
    }
    close(descriptor)
  }
  report(
    "append \(appendCount) entries, each durable (\(String(format: "%.2f", appendTime / Double(appendCount) * 1000)) ms each)",
    appendTime, baseline: rawTime, baselineName: "write+fsync of same-size frames")
}

// 2. Opening and verifying vaults of many entries.
/// The fastest of three runs, to keep other work on the machine out of the figure.
func fastest(_ body: () throws -> Void) rethrows -> Double {
  try (0..<3).map { _ in try seconds(body) }.min() ?? 0
}

let kdfTime = fastest { RawBaseline.argon2idInteractive() }
print(String(format: "Argon2id interactive alone: %.3f s (paid once per open, included below)", kdfTime))
for size in openSizes {
  let folder = root.appendingPathComponent("open-\(size)")
  do {
    let vault = try Vault.create(at: folder, passphrase: passphrase(), strength: .interactive)
    var made = 0
    while made < size {
      let batch = min(5_000, size - made)
      try vault.addEntries((made..<(made + batch)).map(entry))
      made += batch
    }
  }
  var records: [[UInt8]] = []
  let openTime = try fastest {
    let vault = try Vault.open(at: folder, passphrase: passphrase())
    precondition(vault.integrity.isIntact && vault.records.count == size)
    records = vault.records.map(\.bytes)
  }
  let indexTime = try fastest {
    let vault = try Vault.open(at: folder, passphrase: passphrase())
    precondition(vault.index.entries.count == size)
  }
  let baseline = RawBaseline(records: records)
  var verified = 0
  let rawTime = fastest { verified = baseline.decryptAndHash() }
  precondition(verified == size)
  let journalMiB =
    Double(
      (try? FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent("journal.log").path)[.size]
        as? Int) ?? 0) / 1_048_576
  report(
    "open+verify \(size) entries (\(String(format: "%.1f", journalMiB)) MiB journal), unlock excluded",
    openTime - kdfTime, baseline: rawTime, baselineName: "libsodium decrypt+unpad+SHA-256 of the same records")
  report(
    "open+verify+index \(size) entries, unlock excluded", indexTime - kdfTime, baseline: rawTime,
    baselineName: "same")
}
print(String(format: "peak resident memory: %.0f MiB", peakMemoryMiB()))
