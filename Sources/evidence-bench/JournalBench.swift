import EvidenceVault
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Appending entries one by one, and opening and verifying large journals, against raw libsodium.
func runJournalBench(quick: Bool, root: URL) throws {
  let appendCount = quick ? 500 : 10_000
  let openSizes = quick ? [1_000, 5_000] : [10_000, 100_000]

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
}
