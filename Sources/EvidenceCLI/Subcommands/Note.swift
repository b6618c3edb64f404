import ArgumentParser
import EvidenceCatalogue
import EvidenceVault
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

extension EvidenceCommand {
  struct Note: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: String(.abstractNote),
      discussion: """
        Needs no passphrase and decrypts nothing: the note (and any files) is sealed so that only your unlocked \
        vault can read it, and waits in the vault's inbox/ folder. On a terminal it asks "What happened?" and \
        reads lines until an empty line or Ctrl-D; otherwise it reads standard input. A photo or a screenshot \
        alone (`--attach` with no text) is a note too.
        Anyone who has the vault folder can add such notes, so they are marked as quick notes wherever they are shown.
        """)

    @Option(
      name: .long,
      help: ArgumentHelp(VaultOptions.folderHelp, valueName: "path"))
    var vault: String?

    @Option(
      name: .long,
      help: ArgumentHelp("A file to keep with the note (a photo, a recording); repeat for more.", valueName: "file"))
    var attach: [String] = []

    func run() throws {
      let text = try readText()
      try QuickNoteWriter.write(
        text: text, files: attach.map { URL(fileURLWithPath: $0) }, toVaultAt: VaultOptions.folder(vault),
        timeZone: PersonalTimeZone.resolve(), now: DeviceClock.now)
      print("Saved. It will be added to your journal the next time you open it.")
    }

    /// The note's text: lines typed at the terminal until an empty line or Ctrl-D, else all of standard input.
    private func readText() throws -> String {
      if Prompt.isInteractive {
        let question =
          attach.isEmpty
          ? "What happened? (Finish with an empty line or Ctrl-D.)"
          : "What happened? (Finish with an empty line or Ctrl-D; an empty line alone keeps just the file.)"
        FileHandle.standardError.write(Data((question + "\n").utf8))
        var lines: [String] = []
        while let line = readLine(strippingNewline: true), !line.isEmpty { lines.append(line) }
        return lines.joined(separator: "\n")
      }
      // Read at most one byte more than a note may hold, so that an endless input cannot fill the memory.
      let limit = QuickNoteWriter.maximumTextByteCount + 1
      var bytes: [UInt8] = []
      var buffer = [UInt8](repeating: 0, count: 64 * 1024)
      while bytes.count < limit {
        let count = buffer.withUnsafeMutableBytes {
          read(STDIN_FILENO, $0.baseAddress, min($0.count, limit - bytes.count))
        }
        if count < 0 && errno == EINTR { continue }
        if count <= 0 { break }
        bytes += buffer[..<count]
      }
      guard let text = String(validating: bytes, as: UTF8.self) else {
        throw CommandFailure(message: "The note is not UTF-8 text, so nothing was saved.")
      }
      return text
    }
  }
}
