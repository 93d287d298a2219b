import { Button } from '@react-email/button';
import { Text } from '@react-email/text';

/**
 * Seed 000's "Paga con PayU": a link styled as a button. When the item cannot be paid the button is grey
 * and has no link at all (not a dead href), and the reason is written under it.
 */
export function PayButton(props: { label: string; href: string | null; color: string; reason?: string }) {
  if (props.href === null) {
    return (
      <>
        <span
          aria-disabled="true"
          data-disabled="true"
          style={{
            display: 'inline-block',
            backgroundColor: '#cbd2d9',
            color: '#52606d',
            borderRadius: 6,
            padding: '10px 18px',
            fontSize: 14,
            fontWeight: 600,
          }}
        >
          {props.label}
        </span>
        {props.reason ? (
          <Text style={{ fontSize: 13, color: '#52606d', margin: '6px 0 0' }}>{props.reason}</Text>
        ) : null}
      </>
    );
  }
  return (
    <Button
      href={props.href}
      style={{
        backgroundColor: props.color,
        color: '#ffffff',
        borderRadius: 6,
        padding: '10px 18px',
        fontSize: 14,
        fontWeight: 600,
        textDecoration: 'none',
      }}
    >
      {props.label}
    </Button>
  );
}
