import ArgumentParser
import EvidenceReport
import EvidenceVault
import Foundation

extension EvidenceCommand {
  struct MessageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "message", abstract: "Save a threat or other message you received, by hand.",
      subcommands: [AddMessage.self])
  }

  struct AddMessage: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "add",
      abstract: "Save one message: who sent it, when, and its exact words.",
      discussion: "evidence message add --channel sms --from \"070-123 45 67\" --at \"2026-11-28 22:31\" --text-file -")

    @OptionGroup var vaultOptions: VaultOptions

    @Option(
      name: .long,
      help: ArgumentHelp(
        "How it came: \(Message.Channel.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "channel"))
    var channel: String

    @Option(
      name: .long,
      help: ArgumentHelp(
        "Who sent it: a phone number, e-mail address, handle, or the name of a known person.", valueName: "sender"))
    var from: String?

    @Option(name: .long, help: ArgumentHelp("Who it was sent to, if not you (repeatable).", valueName: "recipient"))
    var to: [String] = []

    @Option(
      name: .long, help: ArgumentHelp("When the phone received it (same forms as add --when).", valueName: "date"))
    var at: String

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

    func validate() throws {
      guard Message.Channel(rawValue: channel.lowercased()) != nil else {
        throw ValidationError(
          "--channel takes one of: \(Message.Channel.allCases.map(\.rawValue).joined(separator: ", ")).")
      }
      guard textFile != nil || !screenshot.isEmpty else {
        throw ValidationError("Give the message's text with --text-file (- for standard input) or a --screenshot.")
      }
    }

    func run() throws {
      let text = try textFile.map(EntryOptions.readText) ?? ""
      let timeZone = PersonalTimeZone.resolve()
      var input = MessageInput(channel: channel, at: at)
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
      print("Saved message M\(number).")
    }

    static let draftCommand = "message add"

    /// Messages kept when a passphrase was wrong: saved now as they were given, if the person wants.
    private func offerKeptMessages(_ vault: Vault, timeZone: TimeZone) throws {
      while let draft = try DraftOffer.choose(
        from: vault, command: Self.draftCommand, what: "message", timeZone: timeZone,
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
    static let configuration = CommandConfiguration(abstract: "List saved messages in the order they were sent.")

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
