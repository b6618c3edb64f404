import EvidenceVault
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Backups: peak memory backing up a vault with a 1 GiB exhibit against one with a 1 KiB exhibit (each in a fresh
/// process), and the time of a first backup against `cp -r` of the vault folder (with and without a `sync` after
/// it), in the same run.
func runBackupBench(quick: Bool, root: URL) throws {
  let size = quick ? 64 << 20 : 1 << 30
  let sizeText = quick ? "64 MiB" : "1 GiB"
  try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
  let small = root.appendingPathComponent("backup-small.bin")
  let big = root.appendingPathComponent("backup-big.bin")
  try writeBenchFile(small, size: 1024)
  try writeBenchFile(big, size: size)
  let smallVault = root.appendingPathComponent("backup-vault-small")
  let bigVault = root.appendingPathComponent("backup-vault-big")
  for (folder, file) in [(smallVault, small), (bigVault, big)] {
    let vault = try Vault.create(at: folder, passphrase: passphrase(), strength: .interactive)
    try vault.addEntry(entry(1))
    try vault.attach([file], toEntry: 1)
  }
  try? FileManager.default.removeItem(at: big)

  // Speed: a first backup (copy, fsync, read back and decrypt every blob) against cp -r of the same folder.
  var backupTimes: [Double] = []
  var copyTimes: [Double] = []
  var syncedCopyTimes: [Double] = []
  for round in 0..<2 {
    let target = root.appendingPathComponent("backup-target-\(round)")
    try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
    let vault = try Vault.open(at: bigVault, passphrase: passphrase())
    backupTimes.append(try seconds { _ = try vault.backup(to: target) })
    try? FileManager.default.removeItem(at: target)
    let copy = root.appendingPathComponent("backup-cp-\(round)")
    copyTimes.append(seconds { benchRun("/bin/cp", ["-r", bigVault.path, copy.path]) })
    try? FileManager.default.removeItem(at: copy)
    syncedCopyTimes.append(
      seconds {
        benchRun("/bin/cp", ["-r", bigVault.path, copy.path])
        benchRun("/bin/sync", [])
      })
    try? FileManager.default.removeItem(at: copy)
  }
  let backupTime = backupTimes.min() ?? 0
  let copyTime = copyTimes.min() ?? 1
  let syncedTime = syncedCopyTimes.min() ?? 1
  print(
    String(
      format: "backup --to (first, %@ exhibit): %.3f s; cp -r %.3f s (ratio %.2f×); cp -r + sync %.3f s (ratio %.2f×)",
      sizeText, backupTime, copyTime, backupTime / copyTime, syncedTime, backupTime / syncedTime))

  // An update with nothing new: only the journal's prefix is hashed and the manifest checked.
  let target = root.appendingPathComponent("backup-target-update")
  try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
  do {
    let vault = try Vault.open(at: bigVault, passphrase: passphrase())
    _ = try vault.backup(to: target)
    let update = try seconds { _ = try vault.backup(to: target) }
    print(String(format: "backup --to (update, nothing new, %@ exhibit): %.3f s", sizeText, update))
  }

  // Peak memory, each in a fresh process.
  let own = URL(fileURLWithPath: CommandLine.arguments[0])
  var peaks: [Double] = []
  for folder in [smallVault, bigVault] {
    let out = root.appendingPathComponent("backup-peak-\(folder.lastPathComponent)")
    try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
    let text = benchRun(own.path, ["--child-backup", folder.path, out.path])
    peaks.append(Double(text.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1)
  }
  print(
    String(
      format:
        "peak RSS backing up a vault with a 1 KiB exhibit: %.1f MiB; with a %@ exhibit: %.1f MiB; difference %.1f MiB",
      peaks[0], sizeText, peaks[1], peaks[1] - peaks[0]))
}

/// Child mode: back up the vault at `folder` into `target` and print this process's peak RSS in MiB.
func childBackup(folder: URL, target: URL) throws {
  let vault = try Vault.open(at: folder, passphrase: passphrase())
  _ = try vault.backup(to: target)
  print(String(format: "%.1f", peakMemoryMiB()))
}

/// A file of `size` bytes that do not repeat (so no layer can compress or deduplicate them), written 1 MiB at a time.
private func writeBenchFile(_ url: URL, size: Int) throws {
  FileManager.default.createFile(atPath: url.path, contents: nil)
  let handle = try FileHandle(forWritingTo: url)
  defer { try? handle.close() }
  var generator = SystemRandomNumberGenerator()
  var block = [UInt64](repeating: 0, count: (1 << 20) / 8)
  var written = 0
  while written < size {
    for index in block.indices { block[index] = generator.next() }
    let count = min(block.count * 8, size - written)
    block.withUnsafeBytes { handle.write(Data($0.prefix(count))) }
    written += count
  }
}
