import ArgumentParser
import EvidenceCatalogue
import EvidenceReport
import EvidenceVault
import Foundation

extension EvidenceCommand {
  struct MessageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "message", abstract: String(.abstractMessage),
      subcommands: [AddMessage.self])
  }

  struct AddMessage: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "add",
      abstract: String(.abstractMessageAdd),
      discussion: """
        On a terminal with nothing given, asks step by step: how it came, who sent it, when, its words.
        evidence message add --channel sms --from "070-123 45 67" --at "2026-11-28 22:31" --text-file -
        """)

    @OptionGroup var vaultOptions: VaultOptions

    @Option(
      name: .long,
      help: ArgumentHelp(
        "How it came: \(Message.Channel.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "channel"))
    var channel: String?

    @Option(
      name: .long,
      help: ArgumentHelp(
        "Who sent it: a phone number, e-mail address, handle, or the name of a known person.", valueName: "sender"))
    var from: String?

    @Option(name: .long, help: ArgumentHelp("Who it was sent to, if not you (repeatable).", valueName: "recipient"))
    var to: [String] = []

    @Option(
      name: .long, help: ArgumentHelp("When the phone received it (same forms as add --when).", valueName: "date"))
    var at: String?

    @Flag(name: .long, help: "You sent it (default: you received it).")
    var sent = false

    @Option(
      name: .long, help: ArgumentHelp("The exact text, from this file or - for standard input.", valueName: "file"))
    var textFile: String?

    @Option(name: .long, help: ArgumentHelp("An e-mail's subject.", valueName: "text"))
    var subject: String?

    @Option(name: .long, help: ArgumentHelp("A screenshot or recording of it (repeatable).", valueName: "file"))
    var screenshot: [String] = []

    @Option(name: .long, help: ArgumentHelp("The incident it belongs to.", valueName: "number"))
    var entry: EntryNumber?

    /// On a terminal with no text and no screenshot given, the missing answers are asked for.
    private var guided: Bool { textFile == nil && screenshot.isEmpty && Prompt.isInteractive }

    func validate() throws {
      if let channel, Message.Channel(rawValue: channel.lowercased()) == nil {
        throw ValidationError(
          "--channel takes one of: \(Message.Channel.allCases.map(\.rawValue).joined(separator: ", ")).")
      }
      guard !guided else { return }
      guard channel != nil else { throw ValidationError("Give how the message came with --channel (sms, email…).") }
      guard at != nil else { throw ValidationError("Give when it came with --at (e.g. \"2026-11-28 22:31\").") }
      guard textFile != nil || !screenshot.isEmpty else {
        throw ValidationError("Give the message's text with --text-file (- for standard input) or a --screenshot.")
      }
    }

    func run() throws {
      if guided { return try runGuided() }
      let text = try textFile.map(EntryOptions.readText) ?? ""
      let timeZone = PersonalTimeZone.resolve()
      var input = MessageInput(channel: channel ?? "sms", at: at ?? "")
      input.from = from
      input.to = to
      input.sent = sent
      input.text = text
      input.subject = subject
      input.entryNumber = entry?.value
      let vault: Vault
      do {
        vault = try vaultOptions.openVault()
      } catch let failure {
        guard failure.code == .wrongPassphrase, !text.isEmpty else { throw failure }
        // The text may have been typed (or pasted) just now: it is kept, sealed, for the next try.
        let keeper = DraftOffer.keeper(
          folder: vaultOptions.folder, command: Self.draftCommand, timeZone: timeZone, resuming: nil)
        keeper.keep(input.draftAnswers)
        throw VaultError(
          failure.code, failure.message,
          hint: keeper.writer == nil
            ? failure.hint
            : "The message's text is kept, sealed: the next `\(ProgramName.current) message add` on a terminal offers to save it."
        )
      }
      if Prompt.isInteractive {
        try offerKeptMessages(vault, timeZone: timeZone)
      }
      let message = try input.makeMessage(index: vault.index, timeZone: timeZone, now: DeviceClock.now)
      let number = try vault.addMessage(
        message, attaching: screenshot.map { URL(fileURLWithPath: $0) }, progress: ProgressBar("Encrypting").update)
      print(String(.messageSaved, ["number": String(number)]))
    }

    /// The step-by-step `message add`: the passphrase first (a known sender can be named), then each missing
    /// answer, kept as a draft as it is given.
    private func runGuided() throws {
      let vault = try vaultOptions.openVault()
      let timeZone = PersonalTimeZone.resolve()
      try offerKeptMessages(vault, timeZone: timeZone)
      let keeper = DraftOffer.keeper(
        folder: vaultOptions.folder, command: Self.draftCommand, timeZone: timeZone, resuming: nil)
      var questions = GuidedMessage(
        channel: channel, from: from, at: at, entry: entry?.value, keep: keeper.keep)
      var input = questions.ask(index: vault.index, timeZone: timeZone, now: DeviceClock.now)
      input.to = to
      input.sent = sent
      input.subject = subject
      let message: Message
      do {
        message = try input.makeMessage(index: vault.index, timeZone: timeZone, now: DeviceClock.now)
      } catch {
        Diagnostics.note(
          "What you typed is kept: the next `\(ProgramName.current) message add` on a terminal offers to save it.")
        throw error
      }
      let number = try vault.addMessage(message, attaching: [], progress: ProgressBar("Encrypting").update)
      try? keeper.writer?.discard()
      print(String(.messageSaved, ["number": String(number)]))
    }

    static let draftCommand = "message add"

    /// Messages kept when a passphrase was wrong: saved now as they were given, if the person wants.
    private func offerKeptMessages(_ vault: Vault, timeZone: TimeZone) throws {
      while let draft = try DraftOffer.choose(
        from: vault, command: Self.draftCommand, what: .draftMessage, timeZone: timeZone,
        noteText: { $0["text"] ?? "" })
      {
        guard let kept = MessageInput(draftAnswers: draft.answers) else {
          try vault.discard(draft)
          continue
        }
        let message = try kept.makeMessage(index: vault.index, timeZone: timeZone, now: DeviceClock.now)
        let number = try vault.addMessage(message, attaching: [])
        try vault.discard(draft)
        print("Saved the message you gave then as M\(number).")
      }
    }
  }

  struct Messages: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: String(.abstractMessages))

    @OptionGroup var vaultOptions: VaultOptions

    @Option(name: .long, help: ArgumentHelp("Only messages from or to this person (name or alias).", valueName: "name"))
    var person: String?

    @Option(name: .long, help: ArgumentHelp("Only this channel (sms, whatsapp, email…).", valueName: "channel"))
    var channel: String?

    @Option(name: .long, help: ArgumentHelp("Only messages from this date on.", valueName: "date"))
    var from: String?

    @Option(name: .long, help: ArgumentHelp("Only messages up to and including this date.", valueName: "date"))
    var to: String?

    @Option(name: .long, help: ArgumentHelp("Only messages containing this (ignoring case).", valueName: "text"))
    var contains: String?

    @Flag(name: .long, help: "Print JSON (Schemas/message-list.schema.json) instead of text.")
    var json = false

    func run() throws {
      let timeZone = PersonalTimeZone.resolve()
      let dates = try EntryFilter(fromText: from, toText: to, timeZone: timeZone, now: DeviceClock.now)
      var filter = MessageFilter(from: dates.from, to: dates.to, contains: contains)
      if let channel {
        guard let parsed = Message.Channel(rawValue: channel.lowercased()) else {
          throw CommandFailure(
            message:
              "\"\(channel)\" is not a channel; use one of: \(Message.Channel.allCases.map(\.rawValue).joined(separator: ", "))."
          )
        }
        filter.channel = parsed
      }
      let vault = try vaultOptions.openVault()
      let index = vault.index
      filter.personId = try person.map { try index.person(named: $0).stamp.id }
      let messages = index.messages(matching: filter)
      if json {
        print(MessageText.json(messages))
      } else if messages.isEmpty {
        print(index.messages.isEmpty ? "No messages saved yet." : "No messages match.")
      } else {
        for item in messages {
          print(MessageText.block(number: item.number, item.message, index: index, timeZone: timeZone))
        }
      }
    }
  }
}
