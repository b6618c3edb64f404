import EvidenceAge
import EvidenceVault
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

/// Runs `arguments` under /usr/bin/time; (wall seconds, peak RSS in MiB). `passphrase`, if given, is on fd 0.
private func timed(_ arguments: [String], passphrase: URL? = nil) throws -> (seconds: Double, peakMiB: Double) {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/time")
  process.arguments = ["-f", "%e %M"] + arguments
  if let passphrase { process.standardInput = try FileHandle(forReadingFrom: passphrase) }
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

/// A sealed export (`evidence export --zip --recipient`) of a vault whose one exhibit is 1 KiB, then 1 GiB: time and
/// peak RSS of the whole command, side by side with `age -r` of the plain zip of the same export (`export --zip`),
/// in the same run. Needs the release `evidence` beside this binary.
func runSealedExportBench(quick: Bool, root: URL) throws {
  let evidence = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    .appendingPathComponent("evidence").path
  guard FileManager.default.isExecutableFile(atPath: "/usr/bin/age"),
    FileManager.default.isExecutableFile(atPath: evidence)
  else {
    print("sealed export: skipped (needs /usr/bin/age and the evidence binary beside this one)")
    return
  }
  let folder = root.appendingPathComponent("sealed")
  try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: folder) }
  let recipient = AgeIdentity.generate().recipient.encoded
  let passphraseFile = folder.appendingPathComponent("passphrase")
  try Data("benchmark passphrase\n".utf8).write(to: passphraseFile)
  print("sealed export (whole command; beside it age -r of the plain zip of the same export):")
  for (name, size) in [("1 KiB", 1024), ("1 GiB", 1024 * 1024 * 1024)] {
    let vaultFolder = folder.appendingPathComponent("vault-\(size)")
    do {
      let vault = try Vault.create(at: vaultFolder, passphrase: passphrase(), strength: .interactive)
      try vault.addEntry(entry(1))
      let video = folder.appendingPathComponent("video.mp4")
      FileManager.default.createFile(atPath: video.path, contents: nil)
      let handle = try FileHandle(forWritingTo: video)
      // Random bytes, as a video's are: the plain zip cannot deflate them away.
      var remaining = size
      while remaining > 0 {
        let count = min(remaining, 4 << 20)
        let words = (0..<(count + 7) / 8).map { _ in UInt64.random(in: 0...UInt64.max) }
        words.withUnsafeBytes { handle.write(Data($0.prefix(count))) }
        remaining -= count
      }
      try handle.close()
      try vault.attach([video], toEntry: 1)
      try? FileManager.default.removeItem(at: video)
    }
    let common = ["--vault", vaultFolder.path, "--passphrase-fd", "0", "--format", "txt", "--zip"]
    let plainOut = folder.appendingPathComponent("plain-\(size)")
    let plain = try timed([evidence, "export", "--out", plainOut.path] + common, passphrase: passphraseFile)
    let zip = folder.appendingPathComponent("plain-\(size).zip")
    let runs = quick || size > 1024 * 1024 ? 1 : 3
    var ours = (seconds: Double.infinity, peakMiB: 0.0)
    var age = ours
    for run in 0..<runs {
      let sealedOut = folder.appendingPathComponent("sealed-\(size)-\(run)")
      let a = try timed(
        [evidence, "export", "--out", sealedOut.path, "--recipient", recipient] + common, passphrase: passphraseFile)
      let b = try timed(["age", "-r", recipient, "-o", folder.appendingPathComponent("age-\(run).age").path, zip.path])
      if a.seconds < ours.seconds { ours = a }
      if b.seconds < age.seconds { age = b }
      try? FileManager.default.removeItem(at: folder.appendingPathComponent("sealed-\(size)-\(run).zip.age"))
      try? FileManager.default.removeItem(at: folder.appendingPathComponent("age-\(run).age"))
    }
    let zipSize = ((try? FileManager.default.attributesOfItem(atPath: zip.path)[.size]) as? NSNumber)?.doubleValue ?? 0
    print(
      String(
        format:
          "  %@ exhibit: %.3f s, peak %.1f MiB; age -r of the %.1f MiB zip %.3f s, peak %.1f MiB; time ratio %.2f×",
        name, ours.seconds, ours.peakMiB, zipSize / 1_048_576, age.seconds, age.peakMiB, ours.seconds / age.seconds))
    print(
      String(
        format:
          "    the other way, a plain export --zip (%.3f s, peak %.1f MiB) then age -r: %.3f s; sealed export ratio %.2f×",
        plain.seconds, plain.peakMiB, plain.seconds + age.seconds, ours.seconds / (plain.seconds + age.seconds)))
    try? FileManager.default.removeItem(at: plainOut)
    try? FileManager.default.removeItem(at: zip)
    try? FileManager.default.removeItem(at: vaultFolder)
  }
}
