import EvidenceAge
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

// `age`: sealing (encrypting to an X25519 recipient) and opening 1 KiB and 1 GiB with EvidenceAge, each in a child
// process under /usr/bin/time (wall time and peak RSS), side by side with `age -r` / `age -d` of the same file in
// the same run. Figures are the fastest of three runs (one for 1 GiB in --quick).

/// Child mode: `--child-age seal IN OUT RECIPIENT` or `--child-age open IN OUT IDENTITY_FILE`.
func childAge(_ arguments: [String]) throws {
  guard arguments.count == 4 else { fatalError("--child-age seal|open IN OUT KEY") }
  let input = open(arguments[1], O_RDONLY)
  let output = open(arguments[2], O_WRONLY | O_CREAT | O_TRUNC, 0o600)
  guard input >= 0, output >= 0 else { fatalError("cannot open the files") }
  defer {
    close(input)
    close(output)
  }
  if arguments[0] == "seal" {
    let encryptor = try AgeEncryptor(
      recipients: [try AgeRecipient(parsing: arguments[3])], output: AgeFileDescriptorOutput(fileDescriptor: output))
    var block = [UInt8](repeating: 0, count: 1024 * 1024)
    while true {
      let count = block.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
      guard count > 0 else { break }
      try block.withUnsafeBytes { bytes in try encryptor.write(UnsafeRawBufferPointer(rebasing: bytes[..<count])) }
    }
    try encryptor.finish()
  } else {
    let identities = try AgeIdentity.parseFile(Array(try Data(contentsOf: URL(fileURLWithPath: arguments[3]))))
    let decryptor = try AgeDecryptor(input: AgeFileDescriptorInput(fileDescriptor: input))
    try decryptor.unlock(identities: identities)
    try decryptor.decrypt(to: AgeFileDescriptorOutput(fileDescriptor: output))
  }
  fsync(output)
}

/// Runs `arguments` under /usr/bin/time; (wall seconds, peak RSS in MiB).
private func timed(_ arguments: [String]) throws -> (seconds: Double, peakMiB: Double) {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/time")
  process.arguments = ["-f", "%e %M"] + arguments
  let errors = Pipe()
  process.standardError = errors
  process.standardOutput = FileHandle.nullDevice
  let start = DispatchTime.now().uptimeNanoseconds
  try process.run()
  let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
  process.waitUntilExit()
  let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
  guard process.terminationStatus == 0 else { fatalError("\(arguments) failed: \(text)") }
  let fields = text.split(whereSeparator: \.isWhitespace)
  let kilobytes = fields.last.flatMap { Double($0) } ?? 0
  return (elapsed, kilobytes / 1024)
}

func runAgeBench(quick: Bool, root: URL) throws {
  guard FileManager.default.isExecutableFile(atPath: "/usr/bin/age") else {
    print("age: skipped (no /usr/bin/age to compare with)")
    return
  }
  let folder = root.appendingPathComponent("age")
  try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: folder) }
  let keyFile = folder.appendingPathComponent("key.txt")
  let identity = AgeIdentity.generate()
  try Data(("# bench\n" + identity.encodedSecretKey() + "\n").utf8).write(to: keyFile)
  let recipient = identity.recipient.encoded
  let me = URL(fileURLWithPath: CommandLine.arguments[0]).path
  print("age (seal = encrypt to one X25519 recipient, open = decrypt; child processes, wall time and peak RSS):")
  for (name, size) in [("1 KiB", 1024), ("1 GiB", 1024 * 1024 * 1024)] {
    let plain = folder.appendingPathComponent("plain")
    // Generated on the fly: a pattern that changes every 4 MiB (the cipher does not care what the bytes are).
    FileManager.default.createFile(atPath: plain.path, contents: nil)
    let handle = try FileHandle(forWritingTo: plain)
    var remaining = size
    var seed = [UInt8](repeating: 0, count: min(size, 4 * 1024 * 1024))
    for index in seed.indices { seed[index] = UInt8(truncatingIfNeeded: (index &* 2_654_435_761) >> 13) }
    while remaining > 0 {
      let count = min(remaining, seed.count)
      handle.write(Data(seed[..<count]))
      seed[0] &+= 1
      remaining -= count
    }
    try handle.close()
    let ours = folder.appendingPathComponent("ours.age")
    let theirs = folder.appendingPathComponent("theirs.age")
    let opened = folder.appendingPathComponent("opened")
    let runs = quick || size > 1024 * 1024 ? 1 : 3
    var sealOurs = (seconds: Double.infinity, peakMiB: 0.0)
    var sealAge = sealOurs
    var openOurs = sealOurs
    var openAge = sealOurs
    for _ in 0..<runs {
      let a = try timed([me, "--child-age", "seal", plain.path, ours.path, recipient])
      let b = try timed(["age", "-r", recipient, "-o", theirs.path, plain.path])
      let c = try timed([me, "--child-age", "open", theirs.path, opened.path, keyFile.path])
      let d = try timed(["age", "-d", "-i", keyFile.path, "-o", opened.path, ours.path])
      if a.seconds < sealOurs.seconds { sealOurs = a }
      if b.seconds < sealAge.seconds { sealAge = b }
      if c.seconds < openOurs.seconds { openOurs = c }
      if d.seconds < openAge.seconds { openAge = d }
    }
    for (what, mine, age) in [("seal", sealOurs, sealAge), ("open", openOurs, openAge)] {
      print(
        String(
          format: "  %@ %@: %.3f s, peak %.1f MiB; age %.3f s, peak %.1f MiB; time ratio %.2f×, memory ratio %.2f×",
          what, name, mine.seconds, mine.peakMiB, age.seconds, age.peakMiB, mine.seconds / age.seconds,
          mine.peakMiB / age.peakMiB))
    }
    for file in [plain, ours, theirs, opened] { try? FileManager.default.removeItem(at: file) }
  }
}
