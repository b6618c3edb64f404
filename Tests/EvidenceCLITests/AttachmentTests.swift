import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// One exhibit as `evidence attachments --json` lists it.
private struct ListedExhibit {
  let label: String
  let entryNumber: Int?
  let size: Int
  let sha256: String
  let blob: String
  let originalName: String
  let mediaType: String
}

@Suite("Attachments through the CLI: attach, list, extract, verify and repair")
struct AttachmentTests {
  // MARK: - Helpers

  /// Bytes from /dev/urandom.
  private func randomBytes(_ count: Int) throws -> Data {
    guard count > 0 else { return Data() }
    let handle = try #require(FileHandle(forReadingAtPath: "/dev/urandom"))
    defer { try? handle.close() }
    var data = Data()
    while data.count < count { data += handle.readData(ofLength: count - data.count) }
    return data
  }

  /// Writes `data` to `<vault root>/<name>` (outside the vault folder) and returns its URL.
  @discardableResult
  private func makeFile(_ name: String, _ data: Data, in vault: TestVault) throws -> URL {
    let url = vault.root.appendingPathComponent(name)
    try data.write(to: url)
    return url
  }

  /// The SHA-256 of a file as `sha256sum` computes it (lowercase hex).
  private func sha256sum(_ url: URL) throws -> String {
    let tool = try #require(EvidenceRunner.onPath("sha256sum"), "sha256sum is needed")
    let result = try EvidenceRunner.run(tool, [url.path])
    try #require(result.exitCode == 0, "sha256sum failed: \(result)")
    let hex = String(result.stdout.prefix(64))
    try #require(hex.count == 64 && hex.allSatisfy(\.isHexDigit), "sha256sum printed \(result.stdout)")
    return hex
  }

  /// `evidence attachments --json [--entry N]`, parsed.
  private func exhibits(
    _ vault: TestVault, entry: Int? = nil, in folder: URL? = nil, sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> [ListedExhibit] {
    let result = try vault.run(
      ["attachments", "--json"] + (entry.map { ["--entry", "\($0)"] } ?? []), vault: folder)
    try #require(result.exitCode == 0, "attachments --json failed: \(result)", sourceLocation: sourceLocation)
    let items = try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]],
      "attachments --json is not an array of objects: \(result)", sourceLocation: sourceLocation)
    return try items.map { item in
      let attachment = try #require(item["attachment"] as? [String: Any], "no attachment in \(item)")
      return ListedExhibit(
        label: try #require(item["label"] as? String, "no label in \(item)"),
        entryNumber: item["entryNumber"] as? Int,
        size: try #require(attachment["size"] as? Int, "no size in \(item)"),
        sha256: try #require(attachment["sha256"] as? String, "no sha256 in \(item)"),
        blob: try #require(attachment["blob"] as? String, "no blob in \(item)"),
        originalName: try #require(attachment["originalName"] as? String, "no originalName in \(item)"),
        mediaType: try #require(attachment["mediaType"] as? String, "no mediaType in \(item)"))
    }
  }

  /// `<vault>/blobs/<2 hex>/<64 hex>`.
  private func blobURL(_ name: String, in folder: URL) -> URL {
    folder.appendingPathComponent("blobs").appendingPathComponent(String(name.prefix(2)))
      .appendingPathComponent(name)
  }

  /// Every regular file (any non-folder) under `folder`, by relative path.
  private func files(under folder: URL) -> [String] {
    var found: [String] = []
    guard let walker = FileManager.default.enumerator(atPath: folder.path) else { return found }
    while let relative = walker.nextObject() as? String {
      var isDirectory: ObjCBool = false
      if FileManager.default.fileExists(
        atPath: folder.appendingPathComponent(relative).path, isDirectory: &isDirectory),
        !isDirectory.boolValue
      {
        found.append(relative)
      }
    }
    return found.sorted()
  }

  /// Every folder under `folder`, by relative path.
  private func folders(under folder: URL) -> Set<String> {
    var found: Set<String> = []
    guard let walker = FileManager.default.enumerator(atPath: folder.path) else { return found }
    while let relative = walker.nextObject() as? String {
      var isDirectory: ObjCBool = false
      if FileManager.default.fileExists(
        atPath: folder.appendingPathComponent(relative).path, isDirectory: &isDirectory),
        isDirectory.boolValue
      {
        found.insert(relative)
      }
    }
    return found
  }

  /// Copies a vault folder with `cp -a`, keeping modes.
  private func copyFolder(_ source: URL, to destination: URL) throws {
    let cp = try #require(EvidenceRunner.onPath("cp"))
    let result = try EvidenceRunner.run(cp, ["-a", source.path, destination.path])
    try #require(result.exitCode == 0, "cp -a failed: \(result)")
  }

  /// `lstat` permissions and type.
  private func mode(_ url: URL) throws -> (type: mode_t, permissions: mode_t) {
    var info = stat()
    try #require(lstat(url.path, &info) == 0, "lstat \(url.path) failed")
    return (info.st_mode & S_IFMT, info.st_mode & 0o7777)
  }

  /// Extracts `label` to a new file and returns its bytes (requiring success).
  private func extracted(
    _ label: String, from vault: TestVault, in folder: URL? = nil, sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> Data {
    let out = vault.root.appendingPathComponent("extract-\(label)-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: out) }
    let result = try vault.run(["extract", label, "--out", out.path], vault: folder)
    try #require(result.exitCode == 0, "extract \(label) failed: \(result)", sourceLocation: sourceLocation)
    return try Data(contentsOf: out)
  }

  /// The `verify` lines that are notes about orphan blobs or partial files in blobs/.
  private func blobNotes(_ result: RunResult) -> (orphans: Bool, leftovers: Bool) {
    (
      result.stdoutLines.contains { $0.hasPrefix("Note: ") && $0.contains("named by no record") },
      result.stdoutLines.contains { $0.hasPrefix("Note: ") && $0.contains("partial file") }
    )
  }

  /// `verify` passed and says the `count` exhibits are intact ("… 4 exhibits are intact", "… exhibit is intact").
  private func expectExhibitsIntact(
    _ verified: RunResult, count: Int, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    #expect(verified.exitCode == 0, "\(verified)", sourceLocation: sourceLocation)
    #expect(!verified.stdout.contains("DAMAGED"), "\(verified)", sourceLocation: sourceLocation)
    let phrase = count == 1 ? "exhibit is intact" : "\(count) exhibits are intact"
    #expect(
      verified.stdoutLines.contains { $0.contains(phrase) }, "verify does not say \"\(phrase)\": \(verified)",
      sourceLocation: sourceLocation)
  }

  // MARK: - 1. Round trips

  @Test(
    "Files of 0, 1, 65536, 65537 and about 3 MiB random bytes come back byte for byte, with the size and SHA-256 listed"
  )
  func roundTrips() throws {
    let vault = try TestVault()
    defer { vault.remove() }
    let sizes = [
      ("zero.bin", 0), ("one.bin", 1), ("exact-chunk.bin", 65536), ("chunk-plus-one.bin", 65537),
      ("three-mib.bin", 3 * 1_048_576 + 12_345),
    ]
    var originals: [String: Data] = [:]
    var urls: [String: URL] = [:]
    for (name, size) in sizes {
      let data = try randomBytes(size)
      originals[name] = data
      urls[name] = try makeFile(name, data, in: vault)
    }

    // Two through `add --attach`, three through `attach`.
    let added = try vault.succeed(
      [
        "add", "--when", "igår 08:00", "--title", "Photos of the door", "--narrative-file", "-",
        "--attach", urls["zero.bin"]!.path, "--attach", urls["one.bin"]!.path,
      ], stdin: "He kicked the door in.")
    #expect(added.stdoutLines.contains("Saved entry #1."), "\(added)")
    #expect(added.stdoutLines.contains("Saved zero.bin as exhibit A1."), "\(added)")
    #expect(added.stdoutLines.contains("Saved one.bin as exhibit A2."), "\(added)")
    let attached = try vault.succeed(
      ["attach", "1", urls["exact-chunk.bin"]!.path, urls["chunk-plus-one.bin"]!.path, urls["three-mib.bin"]!.path])
    #expect(attached.stdoutLines.contains("Saved exact-chunk.bin as exhibit A3 of entry #1."), "\(attached)")
    #expect(attached.stdoutLines.contains("Saved chunk-plus-one.bin as exhibit A4 of entry #1."), "\(attached)")
    #expect(attached.stdoutLines.contains("Saved three-mib.bin as exhibit A5 of entry #1."), "\(attached)")

    let listed = try exhibits(vault)
    try #require(listed.count == 5, "expected five exhibits: \(listed)")
    for (offset, (name, size)) in sizes.enumerated() {
      let exhibit = listed[offset]
      let expectedSHA = try sha256sum(urls[name]!)
      #expect(exhibit.label == "A\(offset + 1)")
      #expect(exhibit.originalName == name)
      #expect(exhibit.entryNumber == 1, "\(name) should belong to entry #1")
      #expect(exhibit.size == size, "\(name): listed size \(exhibit.size), file has \(size)")
      #expect(exhibit.sha256 == expectedSHA, "\(name): listed SHA-256 \(exhibit.sha256), sha256sum says \(expectedSHA)")

      // The blob is header (24) + the plaintext + 17 bytes per 64 KiB chunk (a multiple of 64 KiB may or may
      // not be followed by an empty final chunk).
      let blob = blobURL(exhibit.blob, in: vault.folder)
      let blobSize = try #require(try FileManager.default.attributesOfItem(atPath: blob.path)[.size] as? Int)
      let chunks = max(1, (size + 65535) / 65536)
      let allowed = Set([24 + size + 17 * chunks, 24 + size + 17 * (size / 65536 + 1)])
      #expect(allowed.contains(blobSize), "\(name): blob is \(blobSize) bytes, expected one of \(allowed.sorted())")

      // extract to a new path: the same bytes, the recorded size and SHA-256 reported, a private file.
      let out = vault.root.appendingPathComponent("out-\(name)")
      let result = try vault.run(["extract", exhibit.label, "--out", out.path])
      #expect(result.exitCode == 0, "\(result)")
      #expect(
        result.stdoutLines.contains("Wrote \(out.path) (\(size) bytes, SHA-256 \(expectedSHA), as recorded)."),
        "\(result)")
      let copy = try Data(contentsOf: out)
      #expect(copy.count == size, "\(name): extracted \(copy.count) bytes of \(size)")
      #expect(copy == originals[name]!, "\(name): the extracted copy differs from the original")
      #expect(try sha256sum(out) == expectedSHA)
      #expect(try mode(out).permissions == 0o600, "the decrypted copy of \(name) is readable by others")
    }

    let verified = try vault.run(["verify"])
    #expect(verified.exitCode == 0, "\(verified)")
    expectExhibitsIntact(verified, count: 5)
  }

  // MARK: - 2. Duplicates

  @Test("The same file attached twice gives two exhibits (A1, A2) stored in one blob file; a renamed copy too")
  func duplicatesShareOneBlob() throws {
    let vault = try TestVault()
    defer { vault.remove() }
    try vault.addEntry(when: "igår 08:00", title: "Threat", narrative: "He sent a voice message.")
    let data = try randomBytes(70_000)
    let file = try makeFile("voicemail.m4a", data, in: vault)
    let first = try vault.succeed(["attach", "1", file.path])
    #expect(first.stdoutLines.contains("Saved voicemail.m4a as exhibit A1 of entry #1."), "\(first)")
    let second = try vault.succeed(["attach", "1", file.path])
    #expect(second.stdoutLines.contains("Saved voicemail.m4a as exhibit A2 of entry #1."), "\(second)")

    var listed = try exhibits(vault)
    try #require(listed.count == 2, "\(listed)")
    #expect(listed.map(\.label) == ["A1", "A2"])
    #expect(listed[0].blob == listed[1].blob, "both exhibits should name the same blob")
    var blobFiles = files(under: vault.folder.appendingPathComponent("blobs"))
    #expect(blobFiles.count == 1, "one blob file expected, found \(blobFiles)")

    // The same bytes under another name, twice in one command: still one blob file.
    let copy = try makeFile("copy.m4a", data, in: vault)
    try vault.succeed(["attach", "--loose", copy.path, copy.path])
    listed = try exhibits(vault)
    try #require(listed.count == 4, "\(listed)")
    #expect(Set(listed.map(\.blob)).count == 1, "\(listed)")
    blobFiles = files(under: vault.folder.appendingPathComponent("blobs"))
    #expect(blobFiles.count == 1, "one blob file expected, found \(blobFiles)")

    for label in ["A1", "A2", "A3", "A4"] {
      #expect(try extracted(label, from: vault) == data, "\(label) does not extract to the original")
    }
    let verified = try vault.run(["verify"])
    #expect(verified.exitCode == 0, "\(verified)")
    expectExhibitsIntact(verified, count: 4)
    #expect(!verified.stdout.contains("Note:"), "\(verified)")
  }

  // MARK: - 3. No plaintext on disk

  @Test(
    "No attached text, marker bytes, file name or SHA-256 appears anywhere in the vault; blobs are 0600 in 0700 folders"
  )
  func noPlaintextOnDisk() throws {
    let vault = try TestVault()
    defer { vault.remove() }
    try vault.addEntry(when: "igår 08:00", title: "Messages", narrative: "Screenshots of his messages.")
    let tag = UUID().uuidString.prefix(8)
    let sentence = "Kvarnhjulet sa att han skulle bränna upp min pass om jag inte betalade \(tag)."
    let textName = "Glasogonormen-\(tag).txt"
    let text = try makeFile(
      textName, Data((String(repeating: "Skriv ner allt.\n", count: 50) + sentence + "\n").utf8), in: vault)
    let marker = "ZEBRAFINK-MARKER-\(tag)"
    var binary = try randomBytes(200_000)
    binary.replaceSubrange(100_000..<(100_000 + marker.utf8.count), with: Data(marker.utf8))
    // Across a chunk edge:
    binary.replaceSubrange((65536 - 5)..<(65536 - 5 + marker.utf8.count), with: Data(marker.utf8))
    let binaryFile = try makeFile("scan.bin", binary, in: vault)

    try vault.succeed(["attach", "1", text.path, binaryFile.path])
    try vault.succeed(["attach", "--loose", text.path])
    // The exhibits really hold the markers (so their absence below means something).
    #expect(try extracted("A1", from: vault) == (try Data(contentsOf: text)))
    #expect(try extracted("A2", from: vault) == binary)
    let listed = try exhibits(vault)
    #expect(listed.first?.originalName == textName)
    let textSHA = try sha256sum(text)
    let binarySHA = try sha256sum(binaryFile)

    let needles: [(String, Data)] = [
      ("the sentence", Data(sentence.utf8)), ("a distinctive part of the sentence", Data("bränna upp min pass".utf8)),
      ("the ASCII marker", Data(marker.utf8)), ("the file name", Data(textName.utf8)),
      ("the text's SHA-256", Data(textSHA.utf8)), ("the binary's SHA-256", Data(binarySHA.utf8)),
      ("the text's SHA-256 as bytes", Data(hexBytes(textSHA))),
    ]
    let all = files(under: vault.folder)
    #expect(all.contains { $0.hasPrefix("blobs/") }, "no blob files found: \(all)")
    for relative in all {
      let bytes = try Data(contentsOf: vault.folder.appendingPathComponent(relative))
      for (what, needle) in needles {
        #expect(bytes.range(of: needle) == nil, "\(what) appears in plaintext in \(relative)")
        #expect(!relative.contains(String(decoding: needle, as: UTF8.self)), "\(what) appears in the path \(relative)")
      }
    }

    let blobs = vault.folder.appendingPathComponent("blobs")
    let top = try mode(blobs)
    #expect(top.type == S_IFDIR && top.permissions == 0o700, "blobs/ is \(String(top.permissions, radix: 8))")
    var blobCount = 0
    for relative in folders(under: blobs) {
      let folderMode = try mode(blobs.appendingPathComponent(relative))
      #expect(folderMode.permissions == 0o700, "blobs/\(relative) is \(String(folderMode.permissions, radix: 8))")
    }
    for relative in files(under: blobs) {
      let fileMode = try mode(blobs.appendingPathComponent(relative))
      #expect(fileMode.type == S_IFREG, "blobs/\(relative) is not a regular file")
      #expect(fileMode.permissions == 0o600, "blobs/\(relative) is \(String(fileMode.permissions, radix: 8))")
      blobCount += 1
    }
    #expect(blobCount == 2, "two blobs expected (the text attached twice is stored once)")
  }

  private func hexBytes(_ hex: String) -> [UInt8] {
    var bytes: [UInt8] = []
    var index = hex.startIndex
    while index < hex.endIndex, let next = hex.index(index, offsetBy: 2, limitedBy: hex.endIndex) {
      bytes.append(UInt8(hex[index..<next], radix: 16) ?? 0)
      index = next
    }
    return bytes
  }

  // MARK: - 4. Loose, then tied

  @Test(
    "A loose exhibit is listed as loose, then `attach 1 --exhibit A1` ties it: listed for entry #1 and shown under Exhibits:"
  )
  func looseThenTied() throws {
    let vault = try TestVault()
    defer { vault.remove() }
    try vault.addEntry(when: "igår 08:00", title: "Bruises", narrative: "He grabbed my arm.")
    var png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    png += try randomBytes(3000)
    let photo = try makeFile("photo.heic", png, in: vault)

    let loose = try vault.succeed(["attach", "--loose", photo.path])
    #expect(loose.stdoutLines.contains("Saved photo.heic as exhibit A1 (loose)."), "\(loose)")
    var listedText = try vault.succeed(["attachments"])
    let firstLine = try #require(listedText.stdoutLines.first { $0.hasPrefix("A1 ") }, "\(listedText)")
    #expect(firstLine.contains("photo.heic") && firstLine.hasSuffix("loose"), "\(listedText)")
    #expect(!listedText.stdout.contains("entry #1"), "\(listedText)")
    var listed = try exhibits(vault)
    try #require(listed.count == 1)
    #expect(listed[0].entryNumber == nil, "a loose exhibit has no entry number")
    #expect(listed[0].mediaType == "image/png", "the media type comes from the magic bytes, not the name")
    let forEntry = try vault.succeed(["attachments", "--entry", "1"])
    #expect(!forEntry.stdout.contains("A1"), "a loose exhibit must not be listed for entry #1: \(forEntry)")
    #expect(try exhibits(vault, entry: 1).isEmpty)
    var shown = try vault.succeed(["show", "1"])
    #expect(!shown.stdout.contains("Exhibits:"), "\(shown)")

    let tied = try vault.succeed(["attach", "1", "--exhibit", "A1"])
    #expect(tied.stdoutLines.contains("Exhibit A1 now belongs to entry #1."), "\(tied)")

    listedText = try vault.succeed(["attachments", "--entry", "1"])
    let tiedLine = try #require(listedText.stdoutLines.first { $0.hasPrefix("A1 ") }, "\(listedText)")
    #expect(tiedLine.contains("photo.heic") && tiedLine.hasSuffix("entry #1"), "\(listedText)")
    listed = try exhibits(vault, entry: 1)
    try #require(listed.count == 1, "\(listed)")
    #expect(listed[0].label == "A1" && listed[0].entryNumber == 1)
    #expect(try exhibits(vault).count == 1, "tying must not make a second exhibit")

    shown = try vault.succeed(["show", "1"])
    let lines = shown.stdoutLines
    let heading = try #require(lines.firstIndex(of: "Exhibits:"), "no Exhibits: in show 1: \(shown)")
    try #require(heading + 1 < lines.count, "\(shown)")
    #expect(lines[heading + 1].contains("A1") && lines[heading + 1].contains("photo.heic"), "\(shown)")
    #expect(lines[heading + 1].contains(try sha256sum(photo)), "\(shown)")

    // Tying again, or an exhibit that does not exist, is refused without writing.
    let journal = try vault.journalBytes()
    let again = try vault.run(["attach", "1", "--exhibit", "A1"])
    expectCleanFailure(again, exitCode: 2, messageContains: ["already belongs to entry #1"])
    let unknown = try vault.run(["attach", "1", "--exhibit", "A7"])
    expectCleanFailure(unknown, exitCode: 2, messageContains: ["no exhibit A7"])
    #expect(try vault.journalBytes() == journal)

    #expect(try extracted("A1", from: vault) == png)
    let verified = try vault.run(["verify"])
    expectExhibitsIntact(verified, count: 1)
  }

  // MARK: - 5. extract refuses

  @Test(
    "extract never overwrites (an existing file or a dangling symlink: exit 2, nothing changed) and refuses an unknown exhibit"
  )
  func extractRefuses() throws {
    let vault = try TestVault()
    defer { vault.remove() }
    try vault.addEntry(when: "igår 08:00", title: "Contract", narrative: "The contract he made me sign.")
    let data = try randomBytes(10_000)
    let file = try makeFile("contract.pdf", data, in: vault)
    try vault.succeed(["attach", "1", file.path])

    let existing = vault.root.appendingPathComponent("precious.txt")
    let precious = Data("The only copy of something else.\n".utf8)
    try precious.write(to: existing)
    let refused = try vault.run(["extract", "A1", "--out", existing.path])
    expectCleanFailure(refused, exitCode: 2, messageContains: ["already exists"])
    #expect(try Data(contentsOf: existing) == precious, "extract overwrote an existing file")

    let target = vault.root.appendingPathComponent("symlink-target")
    let link = vault.root.appendingPathComponent("link")
    try FileManager.default.createSymbolicLink(at: link, withDestinationURL: target)
    let throughLink = try vault.run(["extract", "A1", "--out", link.path])
    expectCleanFailure(throughLink, exitCode: 2, messageContains: ["already exists"])
    #expect(!FileManager.default.fileExists(atPath: target.path), "extract wrote through a symlink")

    let out = vault.root.appendingPathComponent("never.bin")
    for label in ["A2", "A99", "B1"] {
      let unknown = try vault.run(["extract", label, "--out", out.path])
      expectCleanFailure(unknown, exitCode: 2, messageContains: ["no exhibit"])
      #expect(!FileManager.default.fileExists(atPath: out.path), "extract \(label) left a file behind")
    }
  }

  // MARK: - 6. Tampering with blobs

  @Test(
    "A flipped byte, a cut inside the last chunk, a dropped last chunk, appended bytes, swapped and missing blobs: verify and extract each say how"
  )
  func tamperedBlobs() throws {
    let vault = try TestVault()
    defer { vault.remove() }
    let big = try randomBytes(2 * 65536 + 100)
    let small = try randomBytes(5000)
    let bigFile = try makeFile("a.bin", big, in: vault)
    let smallFile = try makeFile("b.bin", small, in: vault)
    let added = try vault.succeed(
      [
        "add", "--when", "igår 08:00", "--title", "Recordings", "--narrative-file", "-", "--attach", bigFile.path,
        "--attach", smallFile.path,
      ], stdin: "Two recordings of his calls.")
    #expect(added.stdoutLines.contains("Saved a.bin as exhibit A1."), "\(added)")
    #expect(added.stdoutLines.contains("Saved b.bin as exhibit A2."), "\(added)")
    let listed = try exhibits(vault)
    try #require(listed.count == 2)
    let bigBlob = blobURL(listed[0].blob, in: vault.folder)
    let smallBlob = blobURL(listed[1].blob, in: vault.folder)
    let bigBytes = try Data(contentsOf: bigBlob)
    // header 24, chunk 65553, chunk 65553, final chunk 100 + 17
    try #require(bigBytes.count == 24 + 65553 + 65553 + 117, "unexpected blob layout: \(bigBytes.count) bytes")

    let base = vault.root.appendingPathComponent("base", isDirectory: true)
    try copyFolder(vault.folder, to: base)
    let baseVerified = try vault.run(["verify"])
    try #require(baseVerified.exitCode == 0, "\(baseVerified)")

    let cases: [(name: String, keyword: String, tamper: () throws -> Void)] = [
      (
        "a flipped byte in the middle chunk", "was altered",
        {
          var bytes = bigBytes
          bytes[24 + 65553 + 30_000] ^= 0x01
          try bytes.write(to: bigBlob)
        }
      ),
      ("a cut inside the last chunk", "is truncated", { try bigBytes.prefix(24 + 2 * 65553 + 50).write(to: bigBlob) }),
      ("the whole last chunk dropped", "is truncated", { try bigBytes.prefix(24 + 2 * 65553).write(to: bigBlob) }),
      ("bytes appended after the final chunk", "was altered", { try (bigBytes + Data([0, 1, 2])).write(to: bigBlob) }),
      ("only part of the header left", "is truncated", { try bigBytes.prefix(10).write(to: bigBlob) }),
      (
        "the two blobs swapped", "was swapped",
        {
          let smallBytes = try Data(contentsOf: smallBlob)
          try smallBytes.write(to: bigBlob)
          try bigBytes.write(to: smallBlob)
        }
      ),
      ("the blob deleted", "is missing", { try FileManager.default.removeItem(at: bigBlob) }),
    ]

    for (name, keyword, tamper) in cases {
      try? FileManager.default.removeItem(at: vault.folder)
      try copyFolder(base, to: vault.folder)
      try tamper()

      let verified = try vault.run(["verify"])
      expectCleanFailure(verified, exitCode: 1, messageContains: ["does not verify"])
      let damaged = verified.stdoutLines.filter { $0.hasPrefix("DAMAGED: ") }
      #expect(
        damaged.contains { $0.hasPrefix("DAMAGED: Exhibit A1 (a.bin) ") && $0.contains(keyword) },
        "\(name): verify does not say exhibit A1 \(keyword): \(verified)")
      if name == "the two blobs swapped" {
        #expect(
          damaged.contains { $0.hasPrefix("DAMAGED: Exhibit A1 ") && $0.contains("exhibit A2") },
          "the swap should name the other exhibit: \(verified)")
        #expect(
          damaged.contains {
            $0.hasPrefix("DAMAGED: Exhibit A2 (b.bin) ") && $0.contains("was swapped") && $0.contains("exhibit A1")
          }, "\(verified)")
      } else {
        #expect(damaged.count == 1, "\(name): only A1 is damaged: \(verified)")
        #expect(try extracted("A2", from: vault) == small, "\(name): the intact exhibit A2 must still extract")
      }

      let out = vault.root.appendingPathComponent("out-\(UUID().uuidString)")
      let extractedRun = try vault.run(["extract", "A1", "--out", out.path])
      expectCleanFailure(extractedRun, exitCode: 1, messageContains: ["Exhibit A1", keyword])
      #expect(!extractedRun.stdout.contains("Wrote"), "\(name): \(extractedRun)")
      #expect(!FileManager.default.fileExists(atPath: out.path), "\(name): extract left a partial copy behind")
      if name == "the two blobs swapped" {
        let other = try vault.run(["extract", "A2", "--out", out.path])
        expectCleanFailure(other, exitCode: 1, messageContains: ["Exhibit A2", "was swapped"])
        #expect(!FileManager.default.fileExists(atPath: out.path), "\(name): extract left a partial copy behind")
      }
    }
  }

  // MARK: - 7. Bad input

  @Test(
    "A missing file, a folder, an unreadable file, an unknown entry, no number: one error line, and the vault gains no file"
  )
  func badInputChangesNothing() throws {
    let vault = try TestVault()
    defer { vault.remove() }
    try vault.addEntry(when: "igår 08:00", title: "Existing", narrative: "Already there.")
    try vault.succeed(["attach", "1", try makeFile("existing.jpg", try randomBytes(3000), in: vault).path])

    let good = try makeFile("good.jpg", try randomBytes(80_000), in: vault)
    let missing = vault.root.appendingPathComponent("no-such-file.jpg")
    let folder = vault.root.appendingPathComponent("a-folder", isDirectory: true)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try randomBytes(100).write(to: folder.appendingPathComponent("inside.jpg"))

    // (arguments, a fragment of the error, whether no folder may appear either: a command that stored a blob
    // before failing may leave its empty shard folder)
    var cases: [([String], String, Bool)] = [
      (["attach", "1", missing.path], "There is no file", true),
      (["attach", "1", folder.path], "not a file", true),
      (["attach", "--loose", folder.path], "not a file", true),
      (["attach", "99", good.path], "no entry #99", true),
      (["attach", good.path], "entry's number", true),
      (["attach", "--loose"], "Name the files", true),
      (["attach", "1", good.path, missing.path], "There is no file", false),
      (["attach", "--loose", good.path, folder.path], "not a file", false),
      (
        [
          "add", "--when", "igår 09:00", "--title", "Not saved", "--narrative-file", "-", "--attach", good.path,
          "--attach", missing.path,
        ], "There is no file", false
      ),
    ]
    // As root (as the tests usually run here), chmod 000 does not stop reading, so this case only runs otherwise.
    if geteuid() != 0 {
      let unreadable = try makeFile("unreadable.jpg", try randomBytes(100), in: vault)
      try #require(chmod(unreadable.path, 0) == 0)
      cases.append((["attach", "1", unreadable.path], "Cannot read", true))
      cases.append((["attach", "1", good.path, unreadable.path], "Cannot read", false))
    }

    let filesBefore = try vault.snapshot()
    let foldersBefore = folders(under: vault.folder)
    for (arguments, fragment, strictFolders) in cases {
      let result = try vault.run(arguments, stdin: "Text.")
      expectCleanFailure(result, exitCode: 2, messageContains: [fragment])
      #expect(!result.stdout.contains("Saved"), "\(arguments): \(result)")
      let after = try vault.snapshot()
      #expect(
        after == filesBefore,
        "`evidence \(arguments.joined(separator: " "))` changed or added files: \(Set(after.keys).symmetricDifference(filesBefore.keys).sorted())"
      )
      if strictFolders {
        #expect(
          folders(under: vault.folder) == foldersBefore, "`evidence \(arguments.joined(separator: " "))` made a folder")
      }
    }
    let verified = try vault.run(["verify"])
    #expect(verified.exitCode == 0, "\(verified)")
    expectExhibitsIntact(verified, count: 1)
    #expect(!verified.stdout.contains("Note:"), "\(verified)")
  }

  // MARK: - 8. Crashes

  /// Runs `evidence attach 1 F` under strace, killed at the Nth call of `syscall`, N = 1, 2, … until a run completes.
  /// Returns how many runs left an orphan blob and how many a partial file.
  private func killSeries(syscall: String, strace: URL, fileSize: Int) throws -> (orphans: Int, leftovers: Int) {
    let template = try TestVault()
    defer { template.remove() }
    try template.addEntry(when: "igår 08:00", title: "Existing entry", narrative: "It was there before the crashes.")
    let data = try randomBytes(fileSize)
    let file = try makeFile("evidence-\(syscall).bin", data, in: template)

    var orphans = 0
    var leftovers = 0
    var finished = false
    for n in 1...40 {
      let copy = template.root.appendingPathComponent("run-\(n)", isDirectory: true)
      try copyFolder(template.folder, to: copy)
      defer { try? FileManager.default.removeItem(at: copy) }
      let run = try EvidenceRunner.run(
        strace,
        [
          "-f", "-o", "/dev/null", "-e", "inject=\(syscall):signal=SIGKILL:when=\(n)", template.binary.path,
          "attach", "1", file.path, "--vault", copy.path, "--passphrase-fd", "3",
        ],
        passphraseFile: template.passphraseFile)
      let saidSaved = run.stdout.contains("Saved \(file.lastPathComponent) as exhibit A1 of entry #1.")
      let killed = run.signal != nil || run.exitCode == 128 + SIGKILL
      if !killed {
        #expect(run.exitCode == 0, "\(syscall) run \(n) was neither killed nor successful: \(run)")
        #expect(saidSaved, "\(syscall) run \(n) finished without saving: \(run)")
        finished = true
      }

      let verified = try template.run(["verify"], vault: copy)
      #expect(
        verified.exitCode == 0,
        "after the kill at \(syscall) #\(n), verify reports damage: \(verified)\nthe run: \(run)")
      #expect(!verified.stdout.contains("DAMAGED"), "\(verified)")
      expectNoCrashText(verified)
      let notes = blobNotes(verified)
      if notes.orphans { orphans += 1 }
      if notes.leftovers { leftovers += 1 }
      #expect(!(finished && (notes.orphans || notes.leftovers)), "a completed attach left files behind: \(verified)")

      if notes.orphans || notes.leftovers {
        let exhibitsBefore = try exhibits(template, in: copy).count
        let repaired = try template.run(["verify", "--repair"], vault: copy)
        #expect(repaired.exitCode == 0, "verify --repair after the kill at \(syscall) #\(n) failed: \(repaired)")
        if notes.orphans {
          let line = repaired.stdoutLines.first { $0.hasPrefix("Repaired: kept an attachment file") }
          let label = line.flatMap { $0.firstMatch(of: /loose exhibit (A\d+)\./).map { String($0.1) } }
          #expect(label == "A\(exhibitsBefore + 1)", "no recovered loose exhibit after \(syscall) #\(n): \(repaired)")
          if let label {
            let recovered = try exhibits(template, in: copy).first { $0.label == label }
            #expect(recovered?.entryNumber == nil, "a recovered exhibit is loose")
            #expect(recovered?.size == data.count)
            #expect(
              try extracted(label, from: template, in: copy) == data,
              "the recovered exhibit \(label) is not the attached file (\(syscall) #\(n))")
          }
        }
        if notes.leftovers {
          let moved = repaired.stdoutLines.compactMap { $0.firstMatch(of: /^Repaired: moved (.+) to quarantine\/\.$/) }
          #expect(!moved.isEmpty, "no leftover moved to quarantine/ after \(syscall) #\(n): \(repaired)")
          let quarantined =
            (try? FileManager.default.contentsOfDirectory(
              atPath: copy.appendingPathComponent("quarantine").path)) ?? []
          for match in moved {
            let name = URL(fileURLWithPath: String(match.1)).lastPathComponent
            #expect(
              quarantined.contains { $0.hasPrefix(name) }, "\(match.1) is not in quarantine/: \(quarantined)")
            #expect(!FileManager.default.fileExists(atPath: copy.appendingPathComponent(String(match.1)).path))
          }
        }
        let again = try template.run(["verify"], vault: copy)
        #expect(again.exitCode == 0, "\(again)")
        let notesAfter = blobNotes(again)
        #expect(!notesAfter.orphans && !notesAfter.leftovers, "repair left orphans or partial files: \(again)")
      }

      // Every exhibit the vault now holds (reported saved or not) extracts to the attached file.
      let held = try exhibits(template, in: copy)
      if saidSaved {
        #expect(held.contains { $0.label == "A1" && $0.entryNumber == 1 }, "A1 was reported saved but is not listed")
      }
      for exhibit in held {
        #expect(
          try extracted(exhibit.label, from: template, in: copy) == data,
          "\(exhibit.label) does not extract intact after \(syscall) #\(n)")
      }
      if finished { break }
    }
    #expect(finished, "no \(syscall) run finished within 40 injections")
    #expect(orphans + leftovers >= 1, "no \(syscall) kill left an orphan blob or a partial file: nothing was exercised")
    return (orphans, leftovers)
  }

  @Test(
    "Killed at each rename, then at each write, of attach: verify passes, repair keeps orphans as loose exhibits and moves partial files to quarantine/"
  )
  func killedMidAttach() throws {
    guard let strace = EvidenceRunner.onPath("strace") else {
      Issue.record("strace is not installed, so the crash series cannot run (apt-get install strace).")
      return
    }
    let renames = try killSeries(syscall: "rename", strace: strace, fileSize: 100_000)
    let writes = try killSeries(syscall: "write", strace: strace, fileSize: 300_000)
    #expect(
      renames.orphans + writes.orphans >= 1,
      "no kill left an orphan blob, so turning one into a loose exhibit was not exercised")
    #expect(renames.leftovers + writes.leftovers >= 1, "no kill left a partial file in blobs/")
  }

  // MARK: - 9. Disk full

  @Test(
    "On a full disk (ulimit -f) attach fails with one error line and exit 5, leaving no blob or partial file; verify OK"
  )
  func diskFull() throws {
    let vault = try TestVault()
    defer { vault.remove() }
    let narrative = (1...250).map { "Rad \($0): han ringde igen och sa att skulden växer. \(UUID().uuidString)" }
      .joined(separator: "\n")
    try vault.addEntry(when: "igår 08:00", title: "A long account", narrative: narrative)
    let journal = try vault.journalBytes()
    try #require(journal.count > 20_000)
    let before = try vault.snapshot()
    let limit = "trap '' XFSZ; ulimit -f"

    // The blob is larger than the limit.
    let large = try makeFile("large.mov", try randomBytes(300_000), in: vault)
    let blocks = 200  // 100 KiB, more than the journal
    try #require(blocks * 512 > journal.count)
    var result = try vault.run(["attach", "1", large.path], shellPrefix: "\(limit) \(blocks);")
    expectCleanFailure(result, exitCode: 5)
    #expect(!result.stdout.contains("Saved"), "\(result)")
    #expect(try vault.journalBytes() == journal, "journal.log changed")
    #expect(try vault.snapshot() == before, "a blob or partial file was left: \(files(under: vault.folder))")

    result = try vault.run(
      ["add", "--when", "igår 09:00", "--title", "With a video", "--narrative-file", "-", "--attach", large.path],
      stdin: "He filmed me.", shellPrefix: "\(limit) \(blocks);")
    expectCleanFailure(result, exitCode: 5)
    #expect(!result.stdout.contains("Saved"), "\(result)")
    #expect(try vault.snapshot() == before, "a blob or partial file was left: \(files(under: vault.folder))")

    // The blobs fit but the journal cannot grow: the blobs this command stored are removed again.
    let small1 = try makeFile("small1.jpg", try randomBytes(1000), in: vault)
    let small2 = try makeFile("small2.jpg", try randomBytes(1000), in: vault)
    let journalBlocks = journal.count / 512 + 1  // less than 512 bytes of room: two attachment records do not fit
    result = try vault.run(["attach", "1", small1.path, small2.path], shellPrefix: "\(limit) \(journalBlocks);")
    expectCleanFailure(result, exitCode: 5)
    #expect(!result.stdout.contains("Saved"), "\(result)")
    #expect(try vault.journalBytes() == journal, "journal.log must be cut back to exactly what it was")
    #expect(
      try vault.snapshot() == before, "blobs of a failed attach were left behind: \(files(under: vault.folder))")

    let verified = try vault.run(["verify"])
    #expect(verified.exitCode == 0, "\(verified)")
    #expect(verified.stdout.contains("OK: 1 record verifies"), "\(verified)")
    let notes = blobNotes(verified)
    #expect(!notes.orphans && !notes.leftovers, "\(verified)")

    // With room again, the same files attach.
    let attached = try vault.succeed(["attach", "1", large.path, small1.path])
    #expect(attached.stdoutLines.contains("Saved large.mov as exhibit A1 of entry #1."), "\(attached)")
    #expect(try extracted("A1", from: vault) == (try Data(contentsOf: large)))
  }

  // MARK: - 10. Not a file

  @Test("A FIFO is refused as not a file, promptly (no waiting for a writer), and the vault is unchanged")
  func fifoIsRefused() throws {
    let vault = try TestVault()
    defer { vault.remove() }
    try vault.addEntry(when: "igår 08:00", title: "Entry", narrative: "Something happened.")
    let fifo = vault.root.appendingPathComponent("a-fifo")
    try #require(mkfifo(fifo.path, 0o600) == 0, "mkfifo failed")
    let before = try vault.snapshot()
    for arguments in [["attach", "1", fifo.path], ["attach", "--loose", fifo.path]] {
      do {
        let result = try EvidenceRunner.run(
          vault.binary, arguments + ["--vault", vault.folder.path, "--passphrase-fd", "3"],
          passphraseFile: vault.passphraseFile, timeout: 10)
        expectCleanFailure(result, exitCode: 2, messageContains: ["not a file"])
        #expect(!result.stdout.contains("Saved"), "\(result)")
      } catch let failure as EvidenceRunner.Failure {
        Issue.record("`evidence \(arguments.joined(separator: " "))` hangs on a FIFO with no writer: \(failure)")
      }
      #expect(try vault.snapshot() == before, "the vault changed")
    }
    let verified = try vault.run(["verify"])
    #expect(verified.exitCode == 0, "\(verified)")
  }

  // MARK: - 11. JSON schema

  /// Tests/Support/validate_json.py, next to this test folder.
  private static let validator = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()  // EvidenceCLITests
    .deletingLastPathComponent()  // Tests
    .appendingPathComponent("Support/validate_json.py")

  @Test("attachments --json (loose, tied and entry exhibits) validates against Schemas/attachment-list.schema.json")
  func jsonValidates() throws {
    let vault = try TestVault()
    defer { vault.remove() }
    let python = try #require(EvidenceRunner.onPath("python3"), "python3 is needed to validate JSON output")
    let schema = EvidenceRunner.packageRoot.appendingPathComponent("Schemas/attachment-list.schema.json")
    try #require(FileManager.default.fileExists(atPath: schema.path), "Schemas/attachment-list.schema.json is missing")

    let jpeg = Data([0xFF, 0xD8, 0xFF, 0xE0]) + (try randomBytes(2000))
    let photo = try makeFile("photo.jpg", jpeg, in: vault)
    let empty = try makeFile("empty.txt", Data(), in: vault)
    try vault.succeed(
      [
        "add", "--when", "igår 08:00", "--title", "Photos", "--narrative-file", "-", "--attach", photo.path,
        "--attach", empty.path,
      ], stdin: "He broke the window.")
    try vault.succeed(["attach", "--loose", photo.path])
    try vault.succeed(["attach", "--loose", empty.path])
    try vault.succeed(["attach", "1", "--exhibit", "A4"])

    for arguments in [["attachments", "--json"], ["attachments", "--json", "--entry", "1"]] {
      let result = try vault.succeed(arguments)
      let file = vault.root.appendingPathComponent("attachment-list-\(arguments.count).json")
      try Data(result.stdout.utf8).write(to: file)
      let validated = try EvidenceRunner.run(python, [Self.validator.path, "attachment-list.schema.json", file.path])
      #expect(
        validated.exitCode == 0,
        "the schema rejects `\(arguments.joined(separator: " "))`: \(validated)\n\(result.stdout)")
    }
    let listed = try exhibits(vault)
    try #require(listed.count == 4)
    #expect(listed.map(\.entryNumber) == [1, 1, nil, 1])
    #expect(listed[0].mediaType == "image/jpeg" && listed[0].size == jpeg.count)
    #expect(
      listed[1].size == 0 && listed[1].sha256 == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    #expect(try exhibits(vault, entry: 1).map(\.label) == ["A1", "A2", "A4"])

    // The empty list is valid too.
    let fresh = try TestVault()
    defer { fresh.remove() }
    let none = try fresh.succeed(["attachments", "--json"])
    let file = fresh.root.appendingPathComponent("empty-list.json")
    try Data(none.stdout.utf8).write(to: file)
    let validated = try EvidenceRunner.run(python, [Self.validator.path, "attachment-list.schema.json", file.path])
    #expect(validated.exitCode == 0, "the schema rejects the empty list: \(validated)\n\(none.stdout)")
  }
}
