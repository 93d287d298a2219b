import type { PaymentStatus } from '../../../shared/api/schemas';

/** Decorative: the heading next to it says the status in words. */
export function StatusIcon({ status }: { status: PaymentStatus }) {
  const common = {
    className: `status-icon status-icon-${status}`,
    width: 32,
    height: 32,
    viewBox: '0 0 24 24',
    'aria-hidden': true,
    focusable: false,
  } as const;
  switch (status) {
    case 'approved':
      return (
        <svg {...common}>
          <circle cx="12" cy="12" r="11" fill="currentColor" />
          <path d="M7 12.5l3.2 3.2L17 9" fill="none" stroke="#fff" strokeWidth="2.4" strokeLinecap="round" />
        </svg>
      );
    case 'pending':
      return (
        <svg {...common}>
          <circle cx="12" cy="12" r="10" fill="none" stroke="currentColor" strokeWidth="2.4" />
          <path
            d="M12 6.5V12l3.5 2.5"
            fill="none"
            stroke="currentColor"
            strokeWidth="2.4"
            strokeLinecap="round"
          />
        </svg>
      );
    default:
      return (
        <svg {...common}>
          <circle cx="12" cy="12" r="11" fill="currentColor" />
          <path d="M8 8l8 8M16 8l-8 8" fill="none" stroke="#fff" strokeWidth="2.4" strokeLinecap="round" />
        </svg>
      );
  }
}
