import ArgumentParser
import EvidenceCatalogue
import EvidenceReport
import EvidenceVault
import Foundation

extension EvidenceCommand {
  struct Attach: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: String(.abstractAttach),
      discussion: """
        evidence attach 12 photo.jpg contract.pdf   attach files to entry #12
        evidence attach --loose photo.heic          keep a file now, tie it to an entry later
        evidence attach 12 --exhibit A3             tie exhibit A3 to entry #12
        Files are encrypted into the vault unchanged; the originals are left where they are.
        """)

    @OptionGroup var vaultOptions: VaultOptions

    @Argument(
      help: ArgumentHelp("The entry's number, then the files (with --loose: only files).", valueName: "number/file"))
    var items: [String] = []

    @Flag(name: .long, help: "Attach to no entry for now.")
    var loose = false

    @Option(name: .long, help: ArgumentHelp("Tie this existing exhibit (e.g. A3) to the entry.", valueName: "label"))
    var exhibit: String?

    func validate() throws {
      if loose {
        guard exhibit == nil else { throw ValidationError("--loose and --exhibit do not go together.") }
        guard !items.isEmpty else { throw ValidationError("Name the files to attach.") }
        return
      }
      guard let first = items.first, EntryNumber(argument: first) != nil else {
        throw ValidationError("Start with the entry's number (e.g. evidence attach 12 photo.jpg), or use --loose.")
      }
      if exhibit != nil && items.count > 1 {
        throw ValidationError("With --exhibit, give only the entry's number.")
      }
      if exhibit == nil && items.count < 2 {
        throw ValidationError("Name the files to attach after the entry's number.")
      }
    }

    func run() throws {
      let number = loose ? nil : items.first.flatMap(EntryNumber.init(argument:))?.value
      let files = (loose ? items : Array(items.dropFirst())).map { URL(fileURLWithPath: $0) }
      let vault = try vaultOptions.openVault()
      if let exhibit, let number {
        try vault.tieExhibit(exhibit, toEntry: number)
        print("Exhibit \(exhibit.uppercased()) now belongs to entry #\(number).")
        return
      }
      let bar = ProgressBar("Encrypting")
      let labels = try vault.attach(files, toEntry: number, progress: bar.update)
      for (label, file) in zip(labels, files) {
        print(
          "Saved \(TerminalSafeText.line(file.lastPathComponent)) as exhibit \(label)\(number.map { " of entry #\($0)" } ?? " (loose)")."
        )
      }
    }
  }

  struct Attachments: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: String(.abstractAttachments))

    @OptionGroup var vaultOptions: VaultOptions

    @Option(name: .long, help: ArgumentHelp("Only the exhibits of this entry.", valueName: "number"))
    var entry: EntryNumber?

    @Flag(name: .long, help: "Print JSON (Schemas/attachment-list.schema.json) instead of text.")
    var json = false

    func run() throws {
      let vault = try vaultOptions.openVault()
      let index = vault.index
      if let entry { _ = try index.entry(number: entry.value) }
      let exhibits = entry.map { index.exhibits(forEntry: $0.value) } ?? index.exhibits
      if json {
        print(AttachmentText.json(exhibits, index: index))
      } else if exhibits.isEmpty {
        print("No exhibits yet. Attach a file with `\(ProgramName.current) attach NUMBER FILE`.")
      } else {
        for exhibit in exhibits {
          print(AttachmentText.block(exhibit, index: index, timeZone: PersonalTimeZone.resolve()))
        }
      }
    }
  }

  struct Extract: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: String(.abstractExtract))

    @OptionGroup var vaultOptions: VaultOptions

    @Argument(help: ArgumentHelp("The exhibit, e.g. A3.", valueName: "label"))
    var exhibit: String

    @Option(name: .long, help: ArgumentHelp("Where to write the decrypted copy (a new file).", valueName: "path"))
    var out: String

    func run() throws {
      let vault = try vaultOptions.openVault()
      let destination = URL(fileURLWithPath: out)
      let existed = FileManager.default.fileExists(atPath: destination.path)  // then extract refuses, and keeps it
      let written: @Sendable () -> [URL] = { existed ? [] : [destination] }
      try Interruption.removing(written) {
        try vault.extract(exhibit, to: destination, progress: ProgressBar("Decrypting").update)
      }
      let record = try vault.index.exhibit(exhibit).current
      print(
        "Wrote \(TerminalSafeText.line(destination.path)) (\(record.size) bytes, SHA-256 \(record.sha256), as recorded)."
      )
      Diagnostics.warning("This copy is not encrypted. Delete it when you no longer need it.")
    }
  }
}
