import type { NotificationsPort } from '../app-deps';
import { chargeMessageWithdrawReason } from '../charges/charge-notifications';
import type { Config, MerchantConfig } from '../config/config-schema';
import type { Logger } from '../observability/logger';
import type { NotificationChannel } from '../store/notification-records';
import type { Store } from '../store/store';
import type { ChannelSender } from './channel';
import { createSmtpSender } from './email/smtp-sender';
import { createNotificationJob, type NotificationJobDeps } from './notification-job';
import { createPayerKeys } from './payer-key';
import { createWhatsappSender } from './whatsapp/cloud-api-sender';

export interface NotificationsOptions {
  readonly config: Config;
  readonly store: Store;
  readonly merchants: ReadonlyMap<string, MerchantConfig>;
  readonly logger: Logger;
  readonly onOutboxWritten?: () => void;
  /** How WhatsApp's Graph API is reached (the demo answers its simulator in process). */
  readonly fetch?: typeof fetch;
  readonly job?: Partial<Omit<NotificationJobDeps, 'store' | 'merchants' | 'senders' | 'logger'>>;
}

/**
 * The notification side of the portal, built once by server.ts (and by tests): the channels this config can
 * use, the job that sends from the outbox, and the port the routes see.
 */
export function createNotifications(options: NotificationsOptions) {
  const smtp = options.config.smtp ? createSmtpSender(options.config.smtp) : null;
  const whatsapp = createWhatsappSender({ ...(options.fetch ? { fetch: options.fetch } : {}) });
  const senders: Partial<Record<NotificationChannel, ChannelSender>> = {
    ...(smtp ? { email: smtp } : {}),
    whatsapp,
  };
  const job = createNotificationJob({
    store: options.store,
    merchants: options.merchants,
    senders,
    logger: options.logger,
    ...(options.onOutboxWritten ? { onOutboxWritten: options.onOutboxWritten } : {}),
    // A charge's notice or reminder queued earlier does not go once the charge is paid, cancelled… meanwhile.
    stillWanted: (n, merchant, at) =>
      n.chargeId === null
        ? Promise.resolve(null)
        : chargeMessageWithdrawReason(options, merchant, n.chargeId, at),
    ...options.job,
  });
  const port: NotificationsPort = {
    payerKeys: createPayerKeys(options.config.linkSecret),
    available: (merchant, channel, kind) => senders[channel]?.available(merchant, kind) ?? false,
    kick: () => job.kick(),
  };
  return {
    port,
    job,
    async close() {
      await job.stop();
      smtp?.close();
    },
  };
}

export type Notifications = ReturnType<typeof createNotifications>;
