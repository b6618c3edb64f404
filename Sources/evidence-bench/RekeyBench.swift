import EvidenceVault
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A change of keys (`passwd --rekey`) of a vault with 5,000 records and 100 MiB of attachments, against copying the
/// same folder with `cp -r` and `sync` on the same disk: the least any rewrite of every byte can cost.
func runRekeyBench(quick: Bool, root: URL) throws {
  let recordCount = quick ? 1_000 : 5_000
  let fileCount = quick ? 4 : 10
  let fileSize = 10 << 20
  try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
  let folder = root.appendingPathComponent("rekey-vault")
  do {
    let vault = try Vault.create(at: folder, passphrase: passphrase(), strength: .interactive)
    for number in 0..<recordCount { try vault.addEntry(entry(number)) }
    var files: [URL] = []
    for number in 0..<fileCount {
      let file = root.appendingPathComponent("rekey-file-\(number).bin")
      let bytes = (0..<fileSize / 8).map { _ in UInt64.random(in: 0...UInt64.max) }
      try bytes.withUnsafeBytes { try Data($0).write(to: file) }
      files.append(file)
    }
    try vault.attach(files, toEntry: 1)
    for file in files { try? FileManager.default.removeItem(at: file) }
  }
  let megabytes = fileCount * fileSize >> 20

  let copy = root.appendingPathComponent("rekey-copy")
  let baseline = fastest {
    try? FileManager.default.removeItem(at: copy)
    _ = benchRun("/bin/cp", ["-r", folder.path, copy.path])
    _ = benchRun("/bin/sync", [])
  }
  try? FileManager.default.removeItem(at: copy)
  // Each round changes the keys again (to the same passphrase), including its three Argon2id derivations.
  let rekey = try fastest {
    _ = try Vault.rekey(at: folder, from: passphrase(), to: passphrase())
  }
  // What every command pays before it starts: one Argon2id derivation and decrypting the journal (a rekey pays
  // this and two derivations more).
  let opening = try fastest { _ = try Vault.open(at: folder, passphrase: passphrase()) }
  report(
    "passwd --rekey, \(recordCount) records and \(megabytes) MiB of attachments", rekey, baseline: baseline,
    baselineName: "cp -r of the folder + sync")
  print(String(format: "  of which opening the vault (one Argon2id, interactive, and the journal): %.3f s", opening))
}
