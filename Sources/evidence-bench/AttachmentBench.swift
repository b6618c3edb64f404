import EvidenceVault
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Attaching and extracting a large file, against raw crypto_secretstream in memory and `age -r` on the same file;
/// peak memory of attaching a large file against attaching a 1 KiB one, each in a fresh process.
func runAttachmentBench(quick: Bool, root: URL) throws {
  let size = quick ? 64 << 20 : 1 << 30
  let sizeText = quick ? "64 MiB" : "1 GiB"
  try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
  let big = root.appendingPathComponent("big.bin")
  let small = root.appendingPathComponent("small.bin")
  try writeRandomFile(big, size: size)
  try writeRandomFile(small, size: 1024)
  let gigabytes = Double(size) / 1e9

  // The primitives alone.
  let rawStream = fastest { _ = RawStreamBaseline.secretstream(totalBytes: size) }
  let sodiumHash = fastest { _ = RawStreamBaseline.libsodiumSHA256(totalBytes: size) }
  let openSSLHash = fastest { _ = OpenSSLBaseline.sha256(totalBytes: size) }
  print(
    String(
      format: "raw crypto_secretstream in memory, %@: %.3f s (%.2f GB/s)", sizeText, rawStream, gigabytes / rawStream))
  print(
    String(
      format: "SHA-256 of %@: libsodium %.3f s (%.2f GB/s), OpenSSL %.3f s (%.2f GB/s): OpenSSL chosen", sizeText,
      sodiumHash, gigabytes / sodiumHash, openSSLHash, gigabytes / openSSLHash))

  // age, encrypting the same file to a recipient, from and to disk like the vault.
  var ageTime: Double?
  var ageSyncedTime: Double?
  if let age = which("age"), let keygen = which("age-keygen") {
    let identity = root.appendingPathComponent("age-key.txt")
    _ = benchRun(keygen, ["-o", identity.path])
    let recipient = (try? String(contentsOf: identity, encoding: .utf8))?
      .split(separator: "\n").first { $0.hasPrefix("# public key: ") }
      .map { String($0.dropFirst("# public key: ".count)) }
    if let recipient {
      let out = root.appendingPathComponent("big.age")
      ageTime = fastest {
        try? FileManager.default.removeItem(at: out)
        _ = benchRun(age, ["-r", recipient, "-o", out.path, big.path])
      }
      // age does not fsync its output; the vault must (an acknowledged exhibit survives a power cut).
      ageSyncedTime = fastest {
        try? FileManager.default.removeItem(at: out)
        _ = benchRun(age, ["-r", recipient, "-o", out.path, big.path])
        _ = benchRun("/bin/sync", [out.path])
      }
      try? FileManager.default.removeItem(at: out)
    }
  }

  // The vault: attach (read, SHA-256, encrypt, write, fsync) and extract (decrypt, SHA-256, write).
  let folder = root.appendingPathComponent("attach-vault")
  let vault = try Vault.create(at: folder, passphrase: passphrase(), strength: .interactive)
  try vault.addEntry(entry(1))
  var attachTimes: [Double] = []
  for round in 0..<2 {
    // A fresh copy each round, so the second is not stored once as a duplicate of the first.
    if round > 0 { try appendMarker(big, round) }
    attachTimes.append(try seconds { try vault.attach([big], toEntry: 1) })
  }
  let attachTime = attachTimes.min() ?? 0
  let extracted = root.appendingPathComponent("extracted.bin")
  let extractTime = try fastest {
    try? FileManager.default.removeItem(at: extracted)
    try vault.extract("A1", to: extracted)
  }
  try? FileManager.default.removeItem(at: extracted)
  print(
    String(
      format: "attach %@: %.3f s (%.2f GB/s); %.2f× raw secretstream%@%@", sizeText, attachTime, gigabytes / attachTime,
      attachTime / rawStream,
      ageTime.map { String(format: "; %.2f× age -r (%.3f s, %.2f GB/s)", attachTime / $0, $0, gigabytes / $0) }
        ?? "; age not installed",
      ageSyncedTime.map { String(format: "; %.2f× age -r + fsync of its output (%.3f s)", attachTime / $0, $0) } ?? ""
    ))
  print(
    String(
      format: "extract %@: %.3f s (%.2f GB/s); %.2f× raw secretstream", sizeText, extractTime,
      gigabytes / extractTime, extractTime / rawStream))

  // Peak memory, each in a fresh process so that one's peak does not hide the other's.
  let own = URL(fileURLWithPath: CommandLine.arguments[0])
  let smallPeak = benchRun(own.path, ["--child-attach", small.path]).trimmingCharacters(in: .whitespacesAndNewlines)
  let bigPeak = benchRun(own.path, ["--child-attach", big.path]).trimmingCharacters(in: .whitespacesAndNewlines)
  if let smallMiB = Double(smallPeak), let bigMiB = Double(bigPeak) {
    print(
      String(
        format: "peak RSS attaching 1 KiB: %.1f MiB; attaching %@: %.1f MiB; difference %.1f MiB", smallMiB, sizeText,
        bigMiB, bigMiB - smallMiB))
  } else {
    print("peak RSS: the child runs failed (\(smallPeak), \(bigPeak))")
  }
}

/// Child mode: attach `file` to a fresh vault (interactive KDF) and print the peak RSS in MiB.
func childAttach(file: URL) throws {
  let folder = FileManager.default.temporaryDirectory.appendingPathComponent("evidence-bench-child-\(getpid())")
  defer { try? FileManager.default.removeItem(at: folder) }
  let vault = try Vault.create(at: folder, passphrase: passphrase(), strength: .interactive)
  try vault.attach([file], toEntry: nil)
  print(String(format: "%.1f", peakMemoryMiB()))
}

private func writeRandomFile(_ url: URL, size: Int) throws {
  FileManager.default.createFile(atPath: url.path, contents: nil)
  let handle = try FileHandle(forWritingTo: url)
  defer { try? handle.close() }
  var generator = SystemRandomNumberGenerator()
  var block = [UInt8](repeating: 0, count: min(size, 1 << 20))
  var written = 0
  while written < size {
    let count = min(block.count, size - written)
    for index in stride(from: 0, to: count, by: 8) {
      withUnsafeBytes(of: generator.next() as UInt64) { bytes in
        for offset in 0..<min(8, count - index) { block[index + offset] = bytes[offset] }
      }
    }
    handle.write(Data(block[..<count]))
    written += count
  }
}

private func appendMarker(_ url: URL, _ round: Int) throws {
  let handle = try FileHandle(forWritingTo: url)
  defer { try? handle.close() }
  handle.seekToEndOfFile()
  handle.write(Data([UInt8(truncatingIfNeeded: round)]))
}

private func which(_ name: String) -> String? {
  for folder in ["/usr/bin", "/usr/local/bin", "/bin"]
  where FileManager.default.isExecutableFile(atPath: "\(folder)/\(name)") {
    return "\(folder)/\(name)"
  }
  return nil
}

@discardableResult
func benchRun(_ executable: String, _ arguments: [String]) -> String {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: executable)
  process.arguments = arguments
  let output = Pipe()
  process.standardOutput = output
  process.standardError = FileHandle.nullDevice
  do { try process.run() } catch { return "" }
  let data = output.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return String(decoding: data, as: UTF8.self)
}
