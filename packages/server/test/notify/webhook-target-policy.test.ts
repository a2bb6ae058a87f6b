import { describe, expect, it } from 'vitest';
import { WebhookTargetPolicy, WebhookTargetRefused } from '../../src/notify/channels/webhook-target.js';

describe('webhook address policy and IPv6 addresses that carry an IPv4 one', () => {
  // The default setting: LAN ranges allowed, loopback and link-local not.
  const policy = new WebhookTargetPolicy(['private']);

  it('NAT64 addresses (64:ff9b::/96) are judged by the IPv4 address they lead to', () => {
    expect(policy.refusal('64:ff9b::7f00:1')).toBe('a loopback address');
    expect(policy.refusal('64:ff9b::127.0.0.1')).toBe('a loopback address');
    expect(policy.refusal('64:ff9b::a9fe:a9fe')).toBe('a link-local address');
    expect(policy.refusal('64:ff9b::0:1')).toBe('a non-routable address');
    expect(policy.refusal('64:ff9b::a00:1')).toBeNull();
    expect(policy.refusal('64:ff9b::808:808')).toBeNull();
  });

  it('local-use NAT64 addresses (64:ff9b:1::/48) are judged by the IPv4 address in their last 32 bits', () => {
    expect(policy.refusal('64:ff9b:1::7f00:1')).toBe('a loopback address');
    expect(policy.refusal('64:ff9b:1:ab:cd::127.0.0.1')).toBe('a loopback address');
    expect(policy.refusal('64:ff9b:1::a9fe:a9fe')).toBe('a link-local address');
    expect(policy.refusal('64:ff9b:1::e000:1')).toBe('a non-routable address');
    expect(policy.refusal('64:ff9b:1::c0a8:101')).toBeNull();
    expect(policy.refusal('64:ff9b:1::808:808')).toBeNull();
  });

  it('6to4 addresses (2002::/16) are judged by the IPv4 address in bits 16-47', () => {
    expect(policy.refusal('2002:7f00:1::')).toBe('a loopback address');
    expect(policy.refusal('2002:7f00:0001:0:0:0:0:1')).toBe('a loopback address');
    expect(policy.refusal('2002:a9fe:a9fe::1')).toBe('a link-local address');
    expect(policy.refusal('2002::1')).toBe('a non-routable address');
    expect(policy.refusal('2002:a00:1::')).toBeNull();
    expect(policy.refusal('2002:808:808::7f00:1')).toBeNull();
  });

  it('Teredo addresses (2001::/32) are judged by the client IPv4 address, stored inverted in their last 32 bits', () => {
    expect(policy.refusal('2001:0:4136:e378:8000:63bf:80ff:fffe')).toBe('a loopback address'); // ~127.0.0.1
    expect(policy.refusal('2001::80ff:fffe')).toBe('a loopback address');
    expect(policy.refusal('2001:0:4136:e378:8000:63bf:5601:5601')).toBe('a link-local address'); // ~169.254.169.254
    expect(policy.refusal('2001:0:4136:e378:8000:63bf:3f57:fefd')).toBeNull(); // ~192.168.1.2, a LAN address, allowed by default
    expect(policy.refusal('2001:0:4136:e378:8000:63bf:f7f7:f7f7')).toBeNull(); // ~8.8.8.8
    expect(new WebhookTargetPolicy(['loopback']).refusal('2001::80ff:fffe')).toBeNull();
  });

  it('IPv4-mapped addresses are judged by their IPv4 address in every spelling', () => {
    for (const address of ['::ffff:127.0.0.1', '::ffff:7f00:1', '::FFFF:7F00:0001', '0:0:0:0:0:ffff:7f00:1']) {
      expect(policy.refusal(address), address).toBe('a loopback address');
    }
    expect(policy.refusal('::ffff:a9fe:a9fe')).toBe('a link-local address');
    expect(policy.refusal('::ffff:0:7f00:1')).toBe('a loopback address');
    expect(policy.refusal('::ffff:c0a8:101')).toBeNull();
  });

  it('the operator settings apply to the IPv4 address inside, and an IPv6 CIDR still matches as written', () => {
    expect(new WebhookTargetPolicy(['none']).refusal('64:ff9b::a00:1')).toBe('a private address');
    expect(new WebhookTargetPolicy(['loopback']).refusal('64:ff9b::7f00:1')).toBeNull();
    expect(new WebhookTargetPolicy(['169.254.169.254']).refusal('::ffff:a9fe:a9fe')).toBeNull();
    expect(new WebhookTargetPolicy(['64:ff9b::/96']).refusal('64:ff9b::7f00:1')).toBeNull();
    expect(new WebhookTargetPolicy(['loopback']).refusal('2002:7f00:1::')).toBeNull();
    expect(new WebhookTargetPolicy(['10.0.0.0/8']).refusal('64:ff9b:1::a00:1')).toBeNull();
    expect(new WebhookTargetPolicy(['none']).refusal('2002:a00:1::')).toBe('a private address');
    expect(new WebhookTargetPolicy(['2002::/16']).refusal('2002:7f00:1::')).toBeNull();
  });

  it('other IPv6 addresses keep their own ranges', () => {
    expect(policy.refusal('::1')).toBe('a loopback address');
    expect(policy.refusal('fe80::1')).toBe('a link-local address');
    expect(policy.refusal('2001:db8::7f00:1')).toBeNull();
  });

  it('a webhook to a NAT64, 6to4 or Teredo loopback address is refused before any connection', async () => {
    await expect(policy.resolve('[64:ff9b::7f00:1]')).rejects.toThrow(WebhookTargetRefused);
    await expect(policy.resolve('[64:ff9b::7f00:1]')).rejects.toThrow(/resolves to a loopback address/);
    await expect(policy.resolve('[64:ff9b:1::7f00:1]')).rejects.toThrow(/resolves to a loopback address/);
    await expect(policy.resolve('[2002:7f00:1::]')).rejects.toThrow(/resolves to a loopback address/);
    await expect(policy.resolve('[2001::80ff:fffe]')).rejects.toThrow(/resolves to a loopback address/);
    await expect(policy.resolve('[2002:808:808::1]')).resolves.toEqual({ address: '2002:808:808::1', family: 6 });
  });
});
