import ArgumentParser
import EvidenceCatalogue
import EvidenceImport
import EvidenceReport
import EvidenceVault
import Foundation

extension EvidenceCommand {
  struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: String(.abstractImport),
      discussion: """
        The export file itself is kept as an exhibit, and each message records where in it it came from.
        Importing the same file (or a newer backup) again adds only what is new.
        """,
      subcommands: [ImportSMS.self, ImportCalls.self, ImportWhatsApp.self, ImportTelegram.self, ImportEmail.self])
  }

  /// The options every import takes.
  struct ImportOptionGroup: ParsableArguments {
    @Option(
      name: .long,
      help: ArgumentHelp("Only messages from or to this number, address or handle (repeatable).", valueName: "party"))
    var from: [String] = []

    @Option(name: .long, help: ArgumentHelp("Only messages from this date on.", valueName: "date"))
    var since: String?

    @Option(name: .long, help: ArgumentHelp("Only messages up to and including this date.", valueName: "date"))
    var until: String?

    @Option(name: .long, help: ArgumentHelp("The incident the messages belong to.", valueName: "number"))
    var entry: EntryNumber?

    @Flag(name: .long, help: "Add each sender the journal does not know yet as a person.")
    var createPeople = false

    /// Runs `reader` over `file` into the vault and prints the outcome.
    func run(
      _ reader: some MessageReader, file: String, vaultOptions: VaultOptions, senderName: String? = nil
    ) throws {
      let timeZone = PersonalTimeZone.resolve()
      let dates = try EntryFilter(fromText: since, toText: until, timeZone: timeZone, now: DeviceClock.now)
      let vault = try vaultOptions.openVault()
      var options = ImportOptions()
      options.parties = from
      options.since = dates.from
      options.until = dates.to
      options.createPeople = createPeople
      options.senderName = senderName
      options.entryId = try entry.map { try vault.index.entry(number: $0.value).original.stamp.id }
      let bar = ProgressBar("Importing")
      let outcome = try MessageImporter.run(
        reader, exportFile: URL(fileURLWithPath: file), into: vault, options: options, progress: bar.update)
      print(
        "\(outcome.summary.added) new, \(outcome.summary.alreadyInVault) already in the vault, \(outcome.skippedByFilter) skipped by filter."
      )
      if let source = outcome.summary.sourceExhibit { print("The export file is kept as exhibit \(source).") }
      for name in outcome.peopleCreated { print("Added \(TerminalSafeText.line(name)) to the people in your journal.") }
    }
  }

  struct ImportSMS: SMSBackupImport {
    static let configuration = CommandConfiguration(
      commandName: "sms-backup", abstract: "Android \"SMS Backup & Restore\" messages (sms-*.xml): SMS and MMS.")
    @OptionGroup var vaultOptions: VaultOptions
    @OptionGroup var importOptions: ImportOptionGroup
    @Argument(help: ArgumentHelp("The backup file.", valueName: "file"))
    var file: String
  }

  struct ImportCalls: SMSBackupImport {
    static let configuration = CommandConfiguration(
      commandName: "calls", abstract: "Android \"SMS Backup & Restore\" call log (calls-*.xml).")
    @OptionGroup var vaultOptions: VaultOptions
    @OptionGroup var importOptions: ImportOptionGroup
    @Argument(help: ArgumentHelp("The call log file.", valueName: "file"))
    var file: String
  }

  struct ImportWhatsApp: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "whatsapp", abstract: "WhatsApp's \"Export chat\": the .txt, or the .zip with its media.")
    @OptionGroup var vaultOptions: VaultOptions
    @OptionGroup var importOptions: ImportOptionGroup
    @Argument(help: ArgumentHelp("The exported chat (.txt or .zip).", valueName: "file"))
    var file: String
    @Option(
      name: .long,
      help: ArgumentHelp("Your own name as it appears in the chat, to tell sent from received.", valueName: "name"))
    var me: String?
    @Option(
      name: .long,
      help: ArgumentHelp("Only messages from this sender (their name in the chat).", valueName: "name"))
    var sender: String?
    @Option(
      name: .long,
      help: ArgumentHelp(
        "How the dates are written: dmy, mdy or ymd (default: worked out from the file).", valueName: "order"))
    var dateOrder: String?

    func validate() throws {
      if let dateOrder, DateOrder(rawValue: dateOrder) == nil {
        throw ValidationError("--date-order takes dmy, mdy or ymd.")
      }
    }

    func run() throws {
      let reader = WhatsAppReader(
        url: URL(fileURLWithPath: file), me: me, timeZone: PersonalTimeZone.resolve(),
        dateOrder: dateOrder.flatMap(DateOrder.init(rawValue:)))
      try importOptions.run(reader, file: file, vaultOptions: vaultOptions, senderName: sender)
    }
  }

  struct ImportTelegram: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "telegram", abstract: "Telegram Desktop's JSON export (result.json).")
    @OptionGroup var vaultOptions: VaultOptions
    @OptionGroup var importOptions: ImportOptionGroup
    @Argument(help: ArgumentHelp("The result.json file (or its export folder).", valueName: "file"))
    var file: String
    @Option(name: .long, help: ArgumentHelp("Only the chat with this name.", valueName: "name"))
    var chat: String?
    @Option(name: .long, help: ArgumentHelp("Your own name or user id in the export.", valueName: "name"))
    var me: String?

    func run() throws {
      try importOptions.run(
        TelegramReader(url: URL(fileURLWithPath: file), chat: chat, me: me), file: file, vaultOptions: vaultOptions)
    }
  }

  struct ImportEmail: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "email", abstract: "E-mail: one message (.eml) or a mailbox (mbox).")
    @OptionGroup var vaultOptions: VaultOptions
    @OptionGroup var importOptions: ImportOptionGroup
    @Argument(help: ArgumentHelp("The .eml or mbox file.", valueName: "file"))
    var file: String
    @Option(
      name: .long,
      help: ArgumentHelp("Your own e-mail address, to tell sent from received (repeatable).", valueName: "address"))
    var me: [String] = []

    func run() throws {
      try importOptions.run(
        EmailReader(url: URL(fileURLWithPath: file), me: me, timeZone: PersonalTimeZone.resolve()), file: file,
        vaultOptions: vaultOptions)
    }
  }
}

/// Both SMS Backup & Restore files (messages and calls) are read by the one reader, which tells them apart.
protocol SMSBackupImport: ParsableCommand {
  var vaultOptions: VaultOptions { get }
  var importOptions: EvidenceCommand.ImportOptionGroup { get }
  var file: String { get }
}

extension SMSBackupImport {
  func run() throws {
    try importOptions.run(SMSBackupReader(url: URL(fileURLWithPath: file)), file: file, vaultOptions: vaultOptions)
  }
}
